"""`cockpit audit verify|export`, `cockpit backup`, `cockpit restore` (run while the server is stopped:
DuckDB admits one process per database file; the running server takes its own scheduled backups)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cockpit import bootstrap
from cockpit.core import audit, store
from cockpit.core.audit import Actor
from cockpit.core.backup import restore, take_backup

CLI_ACTOR = Actor("cli", "local")


def register(cli: click.Group) -> None:
    """Add the audit and backup commands to `cli`."""

    @cli.group("audit")
    def audit_group() -> None:
        """审计日志 / Audit log."""

    @audit_group.command("verify")
    @click.pass_obj
    def verify(obj: dict) -> None:
        """校验审计链（篡改、删除）/ Verify the audit chain and its external copy."""
        rt = bootstrap.open_runtime(obj["config_path"])
        problems = audit.verify(rt.db)
        audit.audit(rt.db, CLI_ACTOR, "audit.verify", None, f"{len(problems)} problems",
                    outcome="ok" if not problems else "failed")
        if problems:
            for p in problems:
                click.echo(p)
            sys.exit(1)
        click.echo("审计链完整 / audit chain intact")

    @audit_group.command("export")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
                  help="输出文件（JSON Lines）/ output file (JSON lines)")
    @click.pass_obj
    def export(obj: dict, out: Path) -> None:
        """导出审计记录用于归档 / Export every audit record for archiving."""
        rt = bootstrap.open_runtime(obj["config_path"])
        rows = store.audit_records_in_order(rt.db)
        with out.open("w", encoding="utf-8") as fh:
            for seq, at, user_id, ip, action, o, detail, outcome, prev, digest in rows:
                fh.write(json.dumps({"seq": seq, "at": at.isoformat(), "user": user_id, "ip": ip, "action": action,
                                     "object": o, "detail": detail, "outcome": outcome, "prev": prev,
                                     "hash": digest}, ensure_ascii=False) + "\n")
        audit.audit(rt.db, CLI_ACTOR, "audit.export", str(out), f"{len(rows)} records")
        click.echo(f"{len(rows)} 条记录 / records → {out}")

    @cli.command("backup")
    @click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="备份目录 / backup folder (default: data/backups)")
    @click.pass_obj
    def backup(obj: dict, folder: Path | None) -> None:
        """备份数据库 / Take a consistent backup of the database."""
        rt = bootstrap.open_runtime(obj["config_path"])
        target = take_backup(rt.db, folder or rt.data_dir / "backups", rt.clock.now())
        audit.audit(rt.db, CLI_ACTOR, "backup.take", str(target))
        click.echo(str(target))

    @cli.command("restore")
    @click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.pass_obj
    def restore_cmd(obj: dict, backup_file: Path) -> None:
        """从备份恢复（需先停止服务）/ Restore the database from a backup (stop the server first)."""
        config = bootstrap.check(obj["config_path"])
        kept = restore(backup_file, Path(config.database.path))
        rt = bootstrap.open_runtime(obj["config_path"])
        audit.audit(rt.db, CLI_ACTOR, "backup.restore", str(backup_file), f"previous file kept at {kept}")
        click.echo(f"已恢复 / restored from {backup_file}; 原文件 / previous file: {kept}")
