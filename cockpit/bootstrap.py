"""Composition root: load the configuration, open the database, apply every room's migrations.

Every room contributes here: its `schema.MIGRATIONS`, its configuration checks and its scheduled jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alerts import checks as alert_checks
from alerts import jobs as alert_jobs
from alerts import schema as alert_schema
from alerts.notify import checks as notify_checks
from alerts.notify import jobs as notify_jobs
from alerts.notify import schema as notify_schema
from alerts.notify.feeds import Feed, task_feed, warning_feed
from alerts.notify.notices import Notice
from alerts.observe import StaleFeed
from cockpit.auth import schema as auth_schema
from cockpit.auth.users import disable_dormant_accounts
from cockpit.core import audit, fieldcrypt, store
from cockpit.core import schema as core_schema
from cockpit.core.backup import take_backup
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.config import Config, load_config
from cockpit.core.config.references import Check
from cockpit.core.db import Database, Migration
from cockpit.core.jobs import Job
from cockpit.reports import archive as report_archive
from cockpit.reports import checks as report_checks
from cockpit.reports import jobs as report_jobs
from cockpit.reports import schema as report_schema
from cockpit.tasks import checks as task_checks
from cockpit.tasks import jobs as task_jobs
from cockpit.tasks import queries as task_queries
from cockpit.tasks import schema as task_schema
from connectors import checks as connector_checks
from connectors import freshness
from connectors import jobs as connector_jobs
from connectors import schema as connector_schema
from indicators import checks as indicator_checks
from indicators import jobs as indicator_jobs
from indicators import schema as indicator_schema

DEFAULT_CONFIG = "config.yaml"

MIGRATIONS: list[Migration] = [*core_schema.MIGRATIONS, *auth_schema.MIGRATIONS, *connector_schema.MIGRATIONS,
                               *indicator_schema.MIGRATIONS, *task_schema.MIGRATIONS, *report_schema.MIGRATIONS, *notify_schema.MIGRATIONS,
                               *alert_schema.MIGRATIONS]

CONFIG_CHECKS: list[Check] = [indicator_checks.check_indicators, connector_checks.check_sources,
                              task_checks.check_tasks, report_checks.check_reports, notify_checks.check_notifications,
                              alert_checks.check_alerts]


@dataclass
class Runtime:
    """What every command and the web app share: the configuration, the database and the clock."""

    config: Config
    db: Database
    clock: Clock
    config_path: Path

    @property
    def data_dir(self) -> Path:
        """The folder beside the database file for keys, uploads and generated files, as an absolute path: a
        relative one would be read against whatever folder a library resolves it from (Flask's `send_file` takes
        the package folder)."""
        return Path(self.config.database.path).resolve().parent


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
    fieldcrypt.attach(db, fieldcrypt.FieldCipher(fieldcrypt.load_key(runtime.data_dir / config.security.data_key_file)))
    if config.security.audit_file:
        audit.attach_file(db, runtime.data_dir / config.security.audit_file)
    audit.attach_syslog(db, config.security.audit_syslog)
    return runtime


def scheduled_jobs(runtime: Runtime) -> list[Job]:
    """Every room's recurring jobs."""
    return [*connector_jobs.jobs(runtime.config, runtime.db, runtime.clock), *task_jobs.jobs(runtime),
            *_indicator_then_alert_jobs(runtime),
            *_report_jobs(runtime), *_backup_jobs(runtime), *_account_jobs(runtime), *_notify_jobs(runtime)]


def stale_feeds(runtime: Runtime) -> list[StaleFeed]:
    """The connectors' freshness (数据断流) handed to the alerts room, which may not import connectors."""
    return [StaleFeed(s.source_id, s.name, s.level, s.reason)
            for s in freshness.stale_sources(runtime.db, runtime.config, runtime.clock.now())]


def alert_evaluator(runtime: Runtime):
    """One warning evaluation at the runtime's clock, with the stale sources."""
    return alert_jobs.evaluator(runtime.config, runtime.db, runtime.clock, lambda: stale_feeds(runtime))


def _indicator_then_alert_jobs(runtime: Runtime) -> list[Job]:
    """Warnings are evaluated right after every indicator run, and on their own interval for timers."""
    run_alerts = alert_evaluator(runtime)
    out = []
    for job in indicator_jobs.jobs(runtime.config, runtime.db, runtime.clock):
        def chained(func=job.func) -> None:
            func()
            run_alerts()

        out.append(Job(job.id, chained, job.trigger, job.trigger_args, job.jitter_seconds))
    return [*out, *alert_jobs.jobs(runtime.config, run_alerts)]


def notification_feeds(config: Config) -> list:
    """Warning transitions, the tasks' notices and new briefings (handed in here: alerts imports neither room)."""
    return [warning_feed(config), task_feed(config, task_queries.notifications_after), briefing_feed(config)]


def briefing_feed(config: Config) -> Feed:
    """New briefings, announced with their links: the reports room writes the message, the alerts room sends it."""
    def to_notice(entry: dict) -> Notice:
        msg = report_archive.message(entry, config, config.notifications.link_base or "")
        labels = {"kind": "briefing", "key": entry["briefing_id"], "area": entry["area_code"], "briefing": entry["kind"]}
        link = msg["links"]["pdf"] if config.notifications.link_base else None
        return Notice("briefing", entry["briefing_id"], int(entry["event_id"]), "briefing.generated",
                      entry["occurred_at"], labels, msg["title"], msg["text"], link, {"files": msg["files"]})

    return Feed("briefings", report_archive.events_after, to_notice)


def _notify_jobs(runtime: Runtime) -> list[Job]:
    return notify_jobs.jobs(runtime.config, runtime.db, runtime.clock, notification_feeds(runtime.config))


def _report_jobs(runtime: Runtime) -> list[Job]:
    return report_jobs.jobs(runtime.config, runtime.db, runtime.data_dir, runtime.clock)


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
