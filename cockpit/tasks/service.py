"""Acting on a task: load it, check permission, apply one step, and write the task, its timeline event, any
evidence files and the audit record in one transaction. Refusals are audited as `denied`."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from cockpit.core import store as core_store
from cockpit.core.audit import Actor as AuditActor
from cockpit.core.audit import audit
from cockpit.core.clock import FixedClock
from cockpit.core.config import Config
from cockpit.core.db import Cursor, Database
from cockpit.core.i18n import N_
from cockpit.tasks import attachments, store
from cockpit.tasks.errors import Forbidden, NotFound, TaskError
from cockpit.tasks.model import Action, Actor, Task, actor_of
from cockpit.tasks.sla import SlaPolicy
from cockpit.tasks.transitions import step, with_rollup

# Actions that may carry evidence files.
FILE_ACTIONS = frozenset({"report", "submit", "verify", "decline", "request_pause", "request_extension"})


def act(db: Database, config: Config, user, task_id: str, action: Action, now: datetime,
        data_dir: Path | None = None, ip: str | None = None) -> Task:
    """Apply `action` by `user` (a `User` or task `Actor`) to task `task_id` at `now`; return the new task.

    Raises:
        NotFound: no such task.
        Forbidden: the user may not make this action on this task (audited as denied).
        TaskError: the action is impossible now or its values are bad; nothing is changed.
    """
    actor = user if isinstance(user, Actor) else actor_of(user)
    checked = _check_files(config, action, data_dir)
    if action.name == "reassign" and action.to_unit and core_store.unit(db, action.to_unit) is None:
        raise TaskError(N_("Unknown unit {unit}."), unit=action.to_unit)
    written: list[Path] = []
    try:
        with db.transaction() as cur:
            task = store.load_task(cur, task_id)
            if task is None:
                raise NotFound(N_("No such task."))
            if action.name == "submit" and _open_children(cur, task_id):
                raise TaskError(N_("Every sub-task must be closed before the result is submitted."))
            policy = SlaPolicy.from_config(config)
            new, event = step(task, action, actor, now, shift=policy.shifter(task.priority))
            children = store.child_tasks(cur, task_id)
            new = with_rollup(new, children)
            store.update_task(cur, new)
            event_id = store.insert_event(cur, event)
            for upload, ok in zip(action.files, checked, strict=True):
                written.append(_store_file(cur, data_dir, task_id, event_id, actor, upload.content, ok, now))
            if new.parent_task_id:
                roll_up(cur, new.parent_task_id)
            db.bump(cur, "tasks")
            audit(db, AuditActor(actor.user_id or "system", ip), f"task.{action.name}", f"task:{task_id}",
                  {"from": task.state, "to": new.state, **event.detail}, clock=FixedClock(now))
    except Forbidden:
        audit(db, AuditActor(actor.user_id, ip), f"task.{action.name}", f"task:{task_id}", None, "denied",
              clock=FixedClock(now))
        raise
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return new


def roll_up(cur: Cursor, parent_id: str) -> None:
    """Recompute a parent's progress from its sub-tasks (inside the caller's transaction)."""
    parent = store.load_task(cur, parent_id)
    if parent is not None:
        rolled = with_rollup(parent, store.child_tasks(cur, parent_id))
        if rolled != parent:
            store.update_task(cur, rolled)


def _open_children(cur: Cursor, task_id: str) -> bool:
    return any(c.state not in ("closed", "cancelled") for c in store.child_tasks(cur, task_id))


def _check_files(config: Config, action: Action, data_dir: Path | None) -> list[attachments.CheckedFile]:
    if not action.files:
        return []
    if action.name not in FILE_ACTIONS:
        raise TaskError(N_("Files cannot be attached to this action."))
    if data_dir is None:
        raise TaskError(N_("No place to store files is configured."))
    return [attachments.check(f.filename, f.content, config.tasks.attachments.max_bytes) for f in action.files]


def _store_file(cur: Cursor, data_dir: Path, task_id: str, event_id: int, actor: Actor, content: bytes,
                checked: attachments.CheckedFile, now: datetime) -> Path:
    attachment_id = uuid.uuid4().hex
    relative = attachments.write(data_dir, task_id, attachment_id, checked, content)
    store.insert_attachment(cur, {
        "attachment_id": attachment_id, "task_id": task_id, "event_id": event_id, "filename": checked.filename,
        "content_type": checked.content_type, "size_bytes": checked.size, "sha256": checked.sha256,
        "stored_path": relative, "uploaded_by": actor.user_id or "system", "uploaded_at": now,
    })
    return attachments.resolve(data_dir, relative)


def open_attachment(db: Database, user, attachment_id: str, data_dir: Path) -> tuple[Path, str, str]:
    """(path, content type, display name) of an attachment, only for users who may see its task.

    Raises:
        NotFound: no such attachment (or its file is gone).
        Forbidden: the user may not see the task (audited as denied).
    """
    row = store.attachment(db, attachment_id)
    if row is None:
        raise NotFound(N_("No such attachment."))
    if not store.visible(db, user, row["task_id"]):
        audit(db, AuditActor(user.user_id), "task.attachment", f"attachment:{attachment_id}", None, "denied")
        raise Forbidden(N_("You may not see this task."))
    path = attachments.resolve(data_dir, row["stored_path"])
    if not path.is_file():
        raise NotFound(N_("No such attachment."))
    return path, row["content_type"], row["filename"]
