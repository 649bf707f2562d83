"""Rule tests written as data: every YAML file under rules/ (input series, expected signals at given times)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from cockpit.core.config.indicators import IndicatorConfig
from indicators.rules import signals

TZ = "Asia/Shanghai"
CASES = sorted((Path(__file__).parent / "rules").glob("*.yaml"))


def _local(text) -> datetime:
    text = str(text)
    fmt = "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d"
    return datetime.strptime(text, fmt).replace(tzinfo=ZoneInfo(TZ))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_rule_case(path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    ind = IndicatorConfig.model_validate(case["indicator"])
    series = [(_local(t), float(v)) for t, v in case["series"].items()]
    for check in case["expect"]:
        now = _local(check["now"])
        got = {s.level: s.kind for s in signals("x", ind, "321200", series, now, TZ)}
        assert got == check["signals"], f"{path.name} at {check['now']}: {got}"


def test_signals_carry_a_chinese_reason_and_threshold():
    ind = IndicatorConfig.model_validate({"name": "按时办结率", "domain": "12345热线", "dataset": "d",
                                          "measure": {"type": "count"}, "levels": {"red": {"below": 95}}})
    now = _local("2025-03-02 12:00")
    (s,) = signals("hotline.ontime_rate", ind, "321202", [(_local("2025-03-02"), 90.0)], now, TZ)
    assert (s.kind, s.level, s.threshold, s.value, s.at) == ("breach", "red", 95, 90.0, now)
    assert "按时办结率红色预警" in s.reason and "低于阈值 95" in s.reason


def test_empty_series_with_no_data_rule_is_no_data_never_zero():
    ind = IndicatorConfig.model_validate({"name": "x", "domain": "公共安全", "dataset": "d",
                                          "measure": {"type": "count"}, "levels": {"red": {"below": 95}},
                                          "no_data": {"after": "1h"}})
    (s,) = signals("x", ind, "321202", [], _local("2025-03-02 12:00"), TZ)
    assert s.kind == "no_data" and s.value is None
