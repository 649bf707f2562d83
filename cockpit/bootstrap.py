"""Composition root: load the configuration, open the database, apply every room's migrations.

Every room contributes here: its `schema.MIGRATIONS`, its configuration checks and its scheduled jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cockpit.auth import schema as auth_schema
from cockpit.auth.users import disable_dormant_accounts
from cockpit.core import audit, store
from cockpit.core import schema as core_schema
from cockpit.core.backup import take_backup
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.config import Config, load_config
from cockpit.core.config.references import Check
from cockpit.core.db import Database, Migration
from cockpit.core.jobs import Job
from cockpit.tasks import checks as task_checks
from cockpit.tasks import jobs as task_jobs
from cockpit.tasks import schema as task_schema
from connectors import checks as connector_checks
from connectors import jobs as connector_jobs
from connectors import schema as connector_schema
from indicators import checks as indicator_checks
from indicators import jobs as indicator_jobs
from indicators import schema as indicator_schema

DEFAULT_CONFIG = "config.yaml"

MIGRATIONS: list[Migration] = [*core_schema.MIGRATIONS, *auth_schema.MIGRATIONS, *connector_schema.MIGRATIONS,
                               *indicator_schema.MIGRATIONS, *task_schema.MIGRATIONS]

CONFIG_CHECKS: list[Check] = [indicator_checks.check_indicators, connector_checks.check_sources,
                              task_checks.check_tasks]


@dataclass
class Runtime:
    """What every command and the web app share: the configuration, the database and the clock."""

    config: Config
    db: Database
    clock: Clock
    config_path: Path

    @property
    def data_dir(self) -> Path:
        """The folder beside the database file for keys, uploads and generated files."""
        return Path(self.config.database.path).parent


def check(config_path: str | Path = DEFAULT_CONFIG) -> Config:
    """Load and fully validate the configuration; raises ConfigInvalid with every issue."""
    return load_config(config_path, extra_checks=CONFIG_CHECKS)


def open_runtime(config_path: str | Path = DEFAULT_CONFIG, clock: Clock | None = None) -> Runtime:
    """Validate the configuration, open and migrate the database, and sync areas and units from the config."""
    config = check(config_path)
    db = Database(config.database.path)
    db.migrate(MIGRATIONS)
    connector_schema.ensure_dataset_tables(db, config)
    store.sync_identity(db, config)
    runtime = Runtime(config, db, clock or SystemClock(), Path(config_path))
    if config.security.audit_file:
        audit.attach_file(db, runtime.data_dir / config.security.audit_file)
    audit.attach_syslog(db, config.security.audit_syslog)
    return runtime


def scheduled_jobs(runtime: Runtime) -> list[Job]:
    """Every room's recurring jobs."""
    return [*connector_jobs.jobs(runtime.config, runtime.db, runtime.clock), *task_jobs.jobs(runtime),
            *indicator_jobs.jobs(runtime.config, runtime.db, runtime.clock),
            *_backup_jobs(runtime), *_account_jobs(runtime)]


def _backup_jobs(runtime: Runtime) -> list[Job]:
    cfg = runtime.config.backup
    if not cfg.enabled:
        return []

    def run() -> None:
        target = take_backup(runtime.db, runtime.data_dir / cfg.folder, runtime.clock.now(), cfg.keep)
        audit.audit(runtime.db, audit.Actor("scheduler"), "backup.take", str(target), clock=runtime.clock)

    return [Job("backup.daily", run, "cron", {"hour": cfg.hour, "minute": 7})]


def _account_jobs(runtime: Runtime) -> list[Job]:
    days = runtime.config.security.disable_unused_after_days
    if days is None:
        return []
    return [Job("accounts.disable_dormant", lambda: disable_dormant_accounts(runtime.db, days, runtime.clock),
                "cron", {"hour": 3, "minute": 17})]
