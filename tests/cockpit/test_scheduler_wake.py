"""An ingest run that loaded rows brings the indicator evaluation forward; one that loaded nothing does not."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from apscheduler.schedulers.background import BackgroundScheduler

from cockpit.scheduler import EVALUATE_JOB, wake_after


def test_a_run_that_loaded_rows_brings_the_evaluation_forward():
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.start()
    evaluated = threading.Event()
    scheduler.add_job(evaluated.set, "interval", hours=1, id=EVALUATE_JOB)  # not due for an hour
    loaded_nothing = wake_after(scheduler, lambda: SimpleNamespace(rows_loaded=0), EVALUATE_JOB)
    loaded_rows = wake_after(scheduler, lambda: SimpleNamespace(rows_loaded=120), EVALUATE_JOB)
    busy = wake_after(scheduler, lambda: None, EVALUATE_JOB)  # a run started by hand was still going
    try:
        assert loaded_nothing().rows_loaded == 0 and busy() is None
        assert not evaluated.wait(1.5)
        assert loaded_rows().rows_loaded == 120
        assert evaluated.wait(5)
    finally:
        scheduler.shutdown(wait=False)
