"""Named queries of the core: areas, units, users, preferences, audit log. The only SQL in cockpit.core."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cockpit.core import fieldcrypt
from cockpit.core.config import Config
from cockpit.core.db import Cursor, Database
from cockpit.core.scope import scope_prefix


@dataclass(frozen=True)
class Area:
    """An area row."""

    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str | None
    population: int | None


@dataclass(frozen=True)
class User:
    """A user row, without the password hash."""

    user_id: str
    display_name: str
    role: str
    unit_id: str | None
    area_code: str
    locale: str | None
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    must_change_password: bool
    password_changed_at: datetime | None = None
    totp_enrolled: bool = False


_AREA_COLS = "code, name, level, parent_code, kind, population"
_USER_COLS = (
    "user_id, display_name, role, unit_id, area_code, locale, disabled, failed_logins, locked_until, must_change_password,"
    " password_changed_at, totp_secret is not null"
)


def user_key(user_id: str) -> str:
    """The form of a user name that must be unique: NFKC-folded and case-folded (ａｄｍｉｎ = Admin = admin)."""
    import unicodedata

    return unicodedata.normalize("NFKC", user_id).casefold().strip()


# --- areas and units -------------------------------------------------------------------------------------------

def sync_identity(db: Database, config: Config) -> None:
    """Make the areas and units tables match the configuration (a center unit per district and street)."""
    with db.transaction() as cur:
        cur.execute("delete from areas")
        cur.executemany(
            "insert into areas (code, name, level, parent_code, kind, population) values (?, ?, ?, ?, ?, ?)",
            [(a.code, a.name, a.level, a.parent, a.kind, a.population) for a in config.areas],
        )
        cur.execute("delete from units")
        rows = [(u.id, u.name, u.short, u.kind, u.area, ",".join(u.domains)) for u in config.units]
        for a in config.areas:
            if a.level == "district":
                rows.append((f"center_{a.code}", f"{a.name}城市运行指挥分中心", f"{a.name}分中心", "district_center", a.code, ""))
            elif a.level == "street":
                rows.append((f"center_{a.code}", f"{a.name}指挥中心", a.name, "street_center", a.code, ""))
        cur.executemany(
            "insert into units (unit_id, name, short, kind, area_code, domains) values (?, ?, ?, ?, ?, ?)", rows
        )
        db.bump(cur, "identity")


def areas(db: Database, within: str | None = None, level: str | None = None) -> list[Area]:
    """Areas inside `within` (all when None), optionally of one level, in code order."""
    sql = f"select {_AREA_COLS} from areas where code like ? and (? is null or level = ?) order by code"
    prefix = scope_prefix(within) if within else ""
    return [Area(*r) for r in db.rows(sql, [prefix + "%", level, level])]


def area(db: Database, code: str) -> Area | None:
    """One area by code."""
    row = db.one(f"select {_AREA_COLS} from areas where code = ?", [code])
    return Area(*row) if row else None


def children(db: Database, code: str) -> list[Area]:
    """The areas directly below `code`."""
    return [Area(*r) for r in db.rows(f"select {_AREA_COLS} from areas where parent_code = ? order by code", [code])]


def units(db: Database, kind: str | None = None) -> list[dict]:
    """Units, optionally of one kind, as dicts."""
    frame = db.query(
        "select unit_id, name, short, kind, area_code, domains from units where (? is null or kind = ?) order by unit_id",
        [kind, kind],
    )
    return frame.to_dicts()


def unit(db: Database, unit_id: str) -> dict | None:
    """One unit by id."""
    rows = db.query("select unit_id, name, short, kind, area_code, domains from units where unit_id = ?", [unit_id])
    return rows.to_dicts()[0] if rows.height else None


# --- users -----------------------------------------------------------------------------------------------------

def insert_user(cur: Cursor, user: User, password_hash: str, now: datetime) -> None:
    """Add a user (inside the caller's transaction)."""
    cur.execute(
        """insert into users (user_id, user_key, display_name, role, unit_id, area_code, locale, disabled,
               failed_logins, locked_until, must_change_password, password_hash, password_changed_at, created_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [user.user_id, user_key(user.user_id), user.display_name, user.role, user.unit_id, user.area_code,
         user.locale, user.disabled, user.failed_logins, user.locked_until, user.must_change_password,
         password_hash, now, now],
    )
    add_password_history(cur, user.user_id, password_hash, now)


def user_by_key(db: Database, user_id: str) -> User | None:
    """The user whose normalised name equals that of `user_id` (how logins and uniqueness checks look up)."""
    row = db.one(f"select {_USER_COLS} from users where user_key = ?", [user_key(user_id)])
    return User(*row) if row else None


def add_password_history(cur: Cursor, user_id: str, hashed: str, now: datetime) -> None:
    """Remember a password hash so it cannot be reused soon."""
    cur.execute("insert into password_history (user_id, password_hash, changed_at) values (?, ?, ?)",
                [user_id, hashed, now])


def recent_password_hashes(db: Database, user_id: str, count: int) -> list[str]:
    """The user's last `count` password hashes, newest first."""
    rows = db.rows("select password_hash from password_history where user_id = ? order by changed_at desc limit ?",
                   [user_id, count])
    return [r[0] for r in rows]


def totp_state(db: Database, user_id: str) -> tuple[str | None, int | None]:
    """(secret, last used time step) of a user's authenticator."""
    row = db.one("select totp_secret, totp_last_step from users where user_id = ?", [user_id])
    if not row:
        return (None, None)
    secret = fieldcrypt.cipher_for(db).open("users.totp_secret", row[0]) if row[0] else None
    return (secret, row[1])


def set_totp(cur: Cursor, user_id: str, secret: str | None, step: int | None) -> None:
    """Store (or clear) a user's authenticator secret (sealed by the caller, see auth.totp) and last step used."""
    cur.execute("update users set totp_secret = ?, totp_last_step = ? where user_id = ?", [secret, step, user_id])


def set_totp_step(cur: Cursor, user_id: str, step: int) -> None:
    """Record that a time step's code has been used (codes are single-use)."""
    cur.execute("update users set totp_last_step = ? where user_id = ?", [step, user_id])


def user(db: Database, user_id: str) -> User | None:
    """One user by id, or None."""
    row = db.one(f"select {_USER_COLS} from users where user_id = ?", [user_id])
    return User(*row) if row else None


def users(db: Database) -> list[User]:
    """Every user, by id."""
    return [User(*r) for r in db.rows(f"select {_USER_COLS} from users order by user_id")]


def password_hash(db: Database, user_id: str) -> str | None:
    """The stored hash for `user_id`, or None for an unknown user."""
    row = db.one("select password_hash from users where user_id = ?", [user_id])
    return row[0] if row else None


def set_password_hash(cur: Cursor, user_id: str, hashed: str, now: datetime, must_change: bool) -> None:
    """Store a new password hash, remember it in the history and clear any lockout."""
    cur.execute(
        """update users set password_hash = ?, password_changed_at = ?, must_change_password = ?,
           failed_logins = 0, locked_until = null where user_id = ?""",
        [hashed, now, must_change, user_id],
    )
    add_password_history(cur, user_id, hashed, now)


def record_login_failure(cur: Cursor, user_id: str, lock_after: int, locked_until: datetime) -> int:
    """Count a failed login; lock the account when the count reaches `lock_after`. Returns the new count."""
    cur.execute("update users set failed_logins = failed_logins + 1 where user_id = ?", [user_id])
    row = next(iter(cur.execute("select failed_logins from users where user_id = ?", [user_id]).fetchall()), None)
    count = int(row[0]) if row else 0
    if count >= lock_after:
        cur.execute("update users set locked_until = ?, failed_logins = 0 where user_id = ?", [locked_until, user_id])
    return count


def record_login_success(cur: Cursor, user_id: str, now: datetime | None = None) -> None:
    """Reset the failure count after a good login and note when it happened."""
    cur.execute("update users set failed_logins = 0, locked_until = null, last_login_at = ? where user_id = ?",
                [now, user_id])


def update_user(cur: Cursor, user_id: str, *, role=None, area_code=None, unit_id=None, disabled=None,
                unlock: bool = False) -> None:
    """Change the given fields of an account (None leaves a field as it is)."""
    cur.execute(
        """update users set role = coalesce(?, role), area_code = coalesce(?, area_code),
               unit_id = coalesce(?, unit_id), disabled = coalesce(?, disabled),
               locked_until = case when ? then null else locked_until end,
               failed_logins = case when ? then 0 else failed_logins end
           where user_id = ?""",
        [role, area_code, unit_id, disabled, unlock, unlock, user_id],
    )


def dormant_user_ids(db: Database, cutoff: datetime) -> list[str]:
    """Enabled accounts whose last login (or creation, if never used) is before `cutoff`."""
    rows = db.rows("select user_id from users where not disabled and coalesce(last_login_at, created_at) < ? "
                   "order by user_id", [cutoff])
    return [r[0] for r in rows]


def set_user_locale(cur: Cursor, user_id: str, locale: str) -> None:
    """Remember the language a user chose."""
    cur.execute("update users set locale = ? where user_id = ?", [locale, user_id])


# --- preferences -----------------------------------------------------------------------------------------------

def prefs(db: Database, user_id: str) -> dict:
    """A user's stored preferences (pinned indicators, default view…)."""
    row = db.one("select prefs from user_prefs where user_id = ?", [user_id])
    return json.loads(row[0]) if row else {}


def save_prefs(cur: Cursor, user_id: str, values: dict, now: datetime) -> None:
    """Replace a user's preferences."""
    cur.execute(
        """insert into user_prefs (user_id, prefs, updated_at) values (?, ?, ?)
           on conflict (user_id) do update set prefs = excluded.prefs, updated_at = excluded.updated_at""",
        [user_id, json.dumps(values, ensure_ascii=False), now],
    )


# --- audit log -------------------------------------------------------------------------------------------------

AUDIT_COLS = "seq, occurred_at, user_id, ip, action, object, detail, outcome, prev_hash, hash"


def last_audit_hash(cur: Cursor) -> str:
    """The hash of the newest audit record ('' when the log is empty)."""
    row = next(iter(cur.execute("select hash from audit_log order by seq desc limit 1").fetchall()), None)
    return row[0] if row else ""


def next_audit_seq(cur: Cursor) -> int:
    """The next audit sequence number."""
    return int(cur.execute("select nextval('audit_seq')").fetchall()[0][0])


def insert_audit(cur: Cursor, record: tuple) -> None:
    """Append one audit record, a tuple in AUDIT_COLS order."""
    cur.execute(f"insert into audit_log ({AUDIT_COLS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(record))


def audit_records(db: Database, limit: int | None = None, offset: int = 0) -> list[tuple]:
    """Audit records newest first (all when `limit` is None), tuples in AUDIT_COLS order."""
    sql = f"select {AUDIT_COLS} from audit_log order by seq desc"
    if limit is not None:
        sql += f" limit {int(limit)} offset {int(offset)}"
    return db.rows(sql)


def audit_records_in_order(db: Database) -> list[tuple]:
    """Every audit record oldest first, for verification."""
    return db.rows(f"select {AUDIT_COLS} from audit_log order by seq")
