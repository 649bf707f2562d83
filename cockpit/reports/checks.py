"""Cross-reference checks of the `reports` section: headline indicators exist, peer groups name district kinds,
per-capita criteria have populations to divide by."""

from __future__ import annotations

from cockpit.core.config import Config, ConfigIssue

KINDS = ("urban_district", "county_city", "county")


def check_reports(config: Config) -> list[ConfigIssue]:
    """Every issue of the `reports` section, with its key path."""
    issues = []
    rep = config.reports
    for i, iid in enumerate(rep.headline):
        if iid not in config.indicators and config.indicators:
            issues.append(ConfigIssue(f"reports.headline[{i}]", f"未知指标 / unknown indicator {iid}"))
    for kind in rep.rankings.peer_groups:
        if kind not in KINDS:
            issues.append(ConfigIssue(f"reports.rankings.peer_groups.{kind}",
                                      f"未知区县类别 / unknown district kind, one of {', '.join(KINDS)}"))
    per_capita = [c for c in rep.rankings.criteria if c.metric == "overdue_per_100k"]
    districts = [a for a in config.areas if a.level == "district"]
    if per_capita and any(a.population is None for a in districts):
        missing = ", ".join(a.code for a in districts if a.population is None)
        issues.append(ConfigIssue(f"reports.rankings.criteria.{per_capita[0].id}",
                                  f"按人口折算需要各区县常住人口 / per-capita ranking needs areas[].population ({missing})"))
    return issues
