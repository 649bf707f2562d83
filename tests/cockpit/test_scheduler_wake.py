"""An ingest run that loaded rows brings the indicator evaluation forward; one that loaded nothing does not; rows
that land while an evaluation runs get another evaluation right after it, not at the next interval."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from cockpit.scheduler import EVALUATE_JOB, Waker


@pytest.fixture
def scheduler():
    s = BackgroundScheduler(timezone="UTC", job_defaults={"max_instances": 1, "coalesce": True})
    s.start()
    yield s
    s.shutdown(wait=False)


def test_a_run_that_loaded_rows_brings_the_evaluation_forward(scheduler):
    waker = Waker(scheduler, EVALUATE_JOB)
    evaluated = threading.Event()
    scheduler.add_job(waker.target(evaluated.set), "interval", hours=1, id=EVALUATE_JOB)  # not due for an hour
    loaded_nothing = waker.after(lambda: SimpleNamespace(rows_loaded=0))
    loaded_rows = waker.after(lambda: SimpleNamespace(rows_loaded=120))
    busy = waker.after(lambda: None)  # a run started by hand was still going
    assert loaded_nothing().rows_loaded == 0 and busy() is None
    assert not evaluated.wait(1.5)
    assert loaded_rows().rows_loaded == 120
    assert evaluated.wait(5)


def test_rows_landing_during_an_evaluation_are_evaluated_right_after_it(scheduler):
    waker = Waker(scheduler, EVALUATE_JOB)
    runs: list[float] = []
    started, release = threading.Event(), threading.Event()

    def evaluate():
        runs.append(time.monotonic())
        started.set()
        release.wait(10)  # the first evaluation takes a while

    scheduler.add_job(waker.target(evaluate), "interval", hours=1, id=EVALUATE_JOB)
    ingest = waker.after(lambda: SimpleNamespace(rows_loaded=5))
    ingest()
    assert started.wait(5)
    ingest()  # lands while the evaluation runs
    ingest()
    release.set()
    deadline = time.monotonic() + 6
    while len(runs) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)
    assert len(runs) == 2  # one more evaluation for both wakes, none lost, none doubled
