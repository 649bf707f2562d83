"""Demo accounts for every role; passwords generated at first run, stored hashed, listed in a git-ignored file."""

from __future__ import annotations

from pathlib import Path

from cockpit.auth.users import create_user
from cockpit.core import store
from cockpit.core.audit import Actor
from cockpit.core.db import Database

# (user_id, display name, role, area code, unit id)
DEMO_ACCOUNTS = [
    ("leader_mayor", "陈市长", "leader", "321200", None),
    ("leader_vice", "周副市长", "leader", "321200", None),
    ("duty_city", "市值班员 刘洋", "duty_officer", "321200", "dept_chengyun"),
    ("operator_city", "市运营指挥中心 王芳", "center_operator", "321200", "dept_chengyun"),
    ("duty_hailing", "海陵区值班员 孙磊", "duty_officer", "321202", "center_321202"),
    ("operator_hailing", "海陵区分中心 赵敏", "center_operator", "321202", "center_321202"),
    ("duty_jiangyan", "姜堰区值班员 钱军", "duty_officer", "321204", "center_321204"),
    ("operator_jiangyan", "姜堰区分中心 吴静", "center_operator", "321204", "center_321204"),
    ("duty_jingjiang", "靖江市值班员 郑强", "duty_officer", "321282", "center_321282"),
    ("operator_jingjiang", "靖江市分中心 冯丽", "center_operator", "321282", "center_321282"),
    # street and township centers: they submit the 一张表 form for their own street
    ("street_chengdong", "城东街道指挥中心 李娜", "center_operator", "321202001", "center_321202001"),
    ("street_chengxi", "城西街道指挥中心 何勇", "center_operator", "321202002", "center_321202002"),
    ("handler_chengguan", "城管局 陈刚", "handler", "321200", "dept_chengguan"),
    ("handler_shengtai", "生态环境局 杨帆", "handler", "321200", "dept_shengtai"),
    ("handler_shuili", "水利局 黄河", "handler", "321200", "dept_shuili"),
    ("handler_jiaotong", "交通局 林涛", "handler", "321200", "dept_jiaotong"),
    ("admin", "系统管理员", "admin", "321200", None),
    ("auditor", "安全审计员", "auditor", "321200", None),
]

SEED_ACTOR = Actor("demo-seed", "local")


def seed_accounts(db: Database, logins_file: Path) -> list[tuple[str, str, str, str]]:
    """Create the demo accounts missing from the database; return (user, name, role, password) of every account
    whose password is known from `logins_file` or was generated now. Existing accounts are left unchanged."""
    known = _read_logins(logins_file)
    rows = []
    for user_id, name, role, area, unit in DEMO_ACCOUNTS:
        if store.user(db, user_id) is None:
            password = create_user(db, SEED_ACTOR, user_id, name, role, area, unit, must_change_password=False)
            known[user_id] = password
        if user_id in known:
            rows.append((user_id, name, role, known[user_id]))
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text("".join(f"{u}\t{p}\n" for u, _n, _r, p in rows), encoding="utf-8")
    logins_file.chmod(0o600)
    return rows


def _read_logins(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return {u: p for u, p in pairs}
