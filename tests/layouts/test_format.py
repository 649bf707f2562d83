"""Figures read the way a Chinese government report writes them: 万 and 亿, arrows for change, missing as —."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cockpit.core.i18n import use_locale
from layouts.format import age, change, change_tone, figure, period_label


@pytest.mark.parametrize(("value", "unit", "text", "shown_unit"), [
    (None, "件", "—", "件"),
    (0, "件", "0", "件"),
    (9999, "件", "9,999", "件"),
    (12_345, "件", "1.23", "万件"),
    (123_456_789, "元", "1.23", "亿元"),
    (99.98, "%", "99.98", "%"),
    (96.0, "%", "96", "%"),
    (97.25, "%", "97.25", "%"),
    (97.3, "%", "97.3", "%"),
    (77.44, "分", "77.4", "分"),
    (0.1234, "工作日", "0.12", "工作日"),
    (-0.1, "m", "-0.10", "m"),
])
def test_chinese_magnitudes_and_missing(value, unit, text, shown_unit):
    with use_locale("zh_CN"):
        f = figure(value, unit)
    assert (f.text, f.unit) == (text, shown_unit)
    assert f.missing == (value is None)


def test_english_uses_thousands_and_millions():
    with use_locale("en"):
        assert str(figure(12_346, "件")) == "12.35 thousand 件"
        assert str(figure(2_500_000, "")) == "2.50 million"


def test_missing_never_reads_as_zero():
    with use_locale("zh_CN"):
        assert str(figure(None, "%")) == "—"
        assert str(figure(float("nan"), "%")) == "—"
        assert change(None) == "—"


def test_changes_and_their_tone():
    with use_locale("zh_CN"):
        assert change(3.24) == "↑3.2%"
        assert change(-1.0) == "↓1.0%"
        assert change(0.01) == "持平"
    assert change_tone(2.0, "higher_better") == "good"
    assert change_tone(2.0, "lower_better") == "bad"
    assert change_tone(-2.0, "lower_better") == "good"
    assert change_tone(5.0, "volume") == "neutral"


def test_age_and_period_labels():
    with use_locale("zh_CN"):
        assert age(timedelta(seconds=20)) == "刚刚"
        assert age(timedelta(minutes=5)) == "5分钟前"
        assert age(timedelta(hours=3, minutes=59)) == "3小时前"
        assert age(timedelta(days=6, hours=2)) == "6天前"
        t = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
        assert period_label(t, "hour", "Asia/Shanghai") == "11月23日 14时"
        assert period_label(t, "day", "Asia/Shanghai") == "11月23日"
        assert period_label(t, "month", "Asia/Shanghai") == "2026年11月"
        assert period_label(None, "day", "Asia/Shanghai") == "—"
