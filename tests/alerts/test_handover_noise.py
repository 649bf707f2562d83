"""Shift handover (值班交接班) and noise statistics per rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alerts import evaluate, handover, queries
from alerts.errors import AlertError, NotFound
from tests.alerts.conftest import put_values, utc
from tests.alerts.test_engine import Officer

T0 = utc("2026-01-10 05:00")


def test_outgoing_writes_incoming_of_the_same_area_acknowledges(db):
    out = Officer("duty_hailing", "duty_officer", "321202")
    with pytest.raises(AlertError):
        handover.write(db, out, "  ", [], [], T0)
    h = handover.write(db, out, "海陵区空气质量橙色预警已确认，工地停工任务待反馈",
                       [{"id": "YJ000001", "level": "orange"}], [{"id": "RW20260110-00001", "title": "工地停工"}], T0)
    assert (h.written_by, len(h.open_warnings), len(h.open_tasks), h.acknowledged_by) == ("duty_hailing", 1, 1, None)
    with pytest.raises(AlertError):
        handover.acknowledge(db, out, h.handover_id, T0)                       # not by its writer
    with pytest.raises(NotFound):
        handover.acknowledge(db, Officer("duty_jiangyan", "duty_officer", "321204"), h.handover_id, T0)
    handover.acknowledge(db, Officer("duty_hailing2", "duty_officer", "321202"), h.handover_id, T0 + timedelta(hours=8))
    kept = handover.recent(db, "321202")
    assert [(k.handover_id, k.acknowledged_by, k.acknowledged_at) for k in kept] == [
        (h.handover_id, "duty_hailing2", T0 + timedelta(hours=8))]
    assert handover.recent(db, "321204") == []
    with pytest.raises(AlertError):
        handover.acknowledge(db, Officer("duty_hailing3", "duty_officer", "321202"), h.handover_id, T0)


def test_noise_counts_fired_and_refired_with_time_to_resolve(db, config):
    area = "321202"
    # blue (no `for`) fires, clears for longer than clear_for (1h), fires again: a flapping rule
    values = [0.2, -0.6, -0.6, 0.2, -0.6, -0.6]
    put_values(db, "emergency.water_above_warning", "hour", area,
               {T0 + timedelta(hours=h): v for h, v in enumerate(values)})
    for minutes in (5, 65, 130, 185, 245, 310):
        evaluate.evaluate(db, config, T0 + timedelta(minutes=minutes))
    stats = queries.noise_stats(db, area, T0).row(0, named=True)
    assert stats["rule_id"] == "emergency.water_above_warning"
    assert (stats["fired"], stats["refired"]) == (2, 1)
    assert stats["resolve_minutes"] == 120.0                                    # 05:05 → 07:05, 08:05 → 10:05
