"""E-mail over SMTP with the standard library (optional STARTTLS and login)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from alerts.notify.channels.base import Message, SendFailed


def send_email(receiver, message: Message, timeout: float) -> str:
    """Send the notification as a plain-text UTF-8 mail to every address of the receiver."""
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = receiver.sender
    mail["To"] = ", ".join(receiver.to)
    mail.set_content(message.text())
    try:
        with smtplib.SMTP(receiver.host, receiver.port, timeout=timeout) as smtp:
            if receiver.starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=receiver.ca_file))
            if receiver.username:
                password = receiver.password.get_secret_value() if receiver.password else ""
                smtp.login(receiver.username, password)
            refused = smtp.send_message(mail)
    except ssl.SSLError as exc:
        raise SendFailed(f"TLS {exc.reason or type(exc).__name__}") from None
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(f"SMTP {exc.smtp_code}") from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"SMTP {type(exc).__name__}") from None
    if refused:
        return f"SMTP accepted, refused {len(refused)} recipients"
    return "SMTP accepted"
