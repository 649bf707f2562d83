"""A seeded, reproducible city-scale data set for the benchmarks: 泰州 at 1× (or any scale), one year.

    .venv/bin/python -m bench.generate [--scale 1] [--days 365] [--seed 42] [--folder F]

Per year at 1× (rates per hour or per day; counts multiply by `--scale`):
  hotline_orders      1.2 M work orders                      grid_events        5 000 a day (1.8 M)
  hotline_calls       3 000 calls a day (1.1 M)              emergency_incidents   50 a day
  air_quality_hourly  30 stations hourly (263 k)             water_levels / rainfall  100 + 100 sensors hourly
  traffic_congestion  100 road sections hourly (876 k)       video_points       2 000 points, see below
  daily statistics per district (gov_services, health_daily, business_daily), per street (township_reports),
  200 data resources daily (data_resources).

Areas are the real codes of config/taizhou/areas.yaml: 6 districts and their 88 streets/townships (the
configuration has 88, not 100; rows are spread over all of them).

Video: the raw feed is 2 000 points × 288 checks a day = 210 M rows a year. The catalog's finest video grain
is the hour, so by default each point's status is kept once an hour (17.5 M rows a year), which is what a
connector that aggregates the 5-minute feed to the indicators' grain would store. `--video-minutes 5`
generates the raw feed instead (slow and large here; not measured on the shared machine).

Rows are generated inside DuckDB from `hash(seed, row, k)`, one time window at a time, straight into the real
dataset tables (primary keys and all) of a deployment made from the repository's config.yaml. The same seed,
scale and DuckDB version give the same rows.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2024, 6, 16, 16, tzinfo=UTC)    # 2024-06-17 00:00 Asia/Shanghai
END_HOUR = 14  # history ends mid-afternoon, mid-week, mid-month, mid-year: new rows reopen every grain's period
LOCAL = ZoneInfo("Asia/Shanghai")
CACHE = Path(os.environ.get("COCKPIT_BENCH_CACHE", "/tmp/cockpit-bench"))
GENERATOR_VERSION = 2
CHUNK_DAYS = 30


@dataclass(frozen=True)
class Spec:
    """What to generate."""

    scale: float = 1.0
    days: int = 365
    seed: int = 42
    video_minutes: int = 60

    @property
    def name(self) -> str:
        """A folder name that identifies the data set."""
        return f"x{self.scale:g}-d{self.days}-s{self.seed}-v{self.video_minutes}-g{GENERATOR_VERSION}"

    @property
    def hours(self) -> int:
        """Hours of history (`days` whole days and the morning of the next)."""
        return self.days * 24 + END_HOUR

    def now(self) -> datetime:
        """The instant the history ends (the benchmark's 'now')."""
        return START + timedelta(hours=self.hours)


@dataclass
class Deployment:
    """A generated deployment: its folder, config file, database file and what was generated."""

    folder: Path
    spec: Spec
    meta: dict

    @property
    def config_path(self) -> Path:
        """The deployment's config.yaml."""
        return self.folder / "config.yaml"

    @property
    def db_path(self) -> Path:
        """The deployment's DuckDB file."""
        return self.folder / "cockpit.duckdb"

    @property
    def drop_dir(self) -> Path:
        """The folder of the `bench_orders` file-drop source (ingestion while serving)."""
        return self.folder / "drop"

    def logins(self) -> dict[str, str]:
        """Demo user → password."""
        lines = (self.folder / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
        return dict(line.split("\t", 1) for line in lines if "\t" in line)


def utcnow() -> datetime:
    """The machine's time (UTC)."""
    return datetime.now(UTC)


def streets() -> list[str]:
    """The street codes of the demo city."""
    areas = yaml.safe_load((ROOT / "config/taizhou/areas.yaml").read_text(encoding="utf-8"))
    return [a["code"] for a in areas if a["level"] == "street"]


def districts() -> list[str]:
    """The district codes of the demo city."""
    areas = yaml.safe_load((ROOT / "config/taizhou/areas.yaml").read_text(encoding="utf-8"))
    return [a["code"] for a in areas if a["level"] == "district"]


def write_config(folder: Path, port: int = 8050, source_schedule: str = "5s") -> Path:
    """The repository's config.yaml with its database in `folder`, includes resolved to the repository, and
    one extra file-drop source (`bench_orders` → hotline_orders) reading `folder/drop`."""
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    text = text.replace("path: data/cockpit.duckdb", f"path: {folder / 'cockpit.duckdb'}")
    text = re.sub(r"!include (config/\S+)", lambda m: f"!include {ROOT / m.group(1)}", text)
    text = text.replace("port: 8050", f"port: {port}")
    text = text.replace("security:\n", "security:\n  login_attempts_per_ip: 100000\n", 1)
    text = "\n".join(line for line in text.splitlines() if not line.startswith("sources:"))
    source = {"bench_orders": {"name": "基准测试工单投递", "kind": "file_drop", "dataset": "hotline_orders",
                               "schedule": source_schedule, "settings": {"path": str(folder / "drop")}}}
    text += "\n" + yaml.safe_dump({"sources": source}, allow_unicode=True)
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    (folder / "drop").mkdir(exist_ok=True)
    return path


# --- row generators: each fills the window [h0, h1) (hours since START) of one dataset -----------------------

def _u(seed: int, k: int, var: str = "i") -> str:
    """A uniform number in [0, 1) from the row's hash: reproducible, independent per k."""
    return f"((hash({var}, {seed}, {k}) % 1000003) / 1000003.0)"


def _pick(items: list[str], seed: int, k: int, var: str = "i") -> str:
    lst = "[" + ", ".join(f"'{x}'" for x in items) + "]"
    return f"{lst}[1 + cast(hash({var}, {seed}, {k}) % {len(items)} as integer)]"


def _at(hours: str) -> str:
    return f"(timestamptz '{START.isoformat()}' + to_microseconds(cast(({hours}) * 3600e6 as bigint)))"


CATEGORIES = ["市容环境", "交通出行", "住房保障", "劳动社保", "教育", "医疗卫生", "噪声扰民", "物业管理",
              "供水供电", "市场监管", "城市管理", "其他"]


def _events(table: str, per_year: float, h0: int, h1: int, select: str) -> str:
    """Events at a steady rate: row i happens at hour (i + u) / rate; `select` uses i, t (its time), u(k)."""
    rate = per_year / 8760
    i0, i1 = int(h0 * rate), int(h1 * rate)
    return (f"insert into {table} by name select {select} from (select i, {{t}} as t from range({i0}, {i1}) r(i))")


def _sql(spec: Spec, h0: int, h1: int) -> list[str]:
    s, f = spec.seed, spec.scale
    st, ds = streets(), districts()
    u = lambda k, var="i": _u(s, k, var)  # noqa: E731
    out = []

    def events(table: str, per_year: float, select: str, k: int) -> None:
        rate = per_year * f / 8760
        t = _at(f"(i + {u(k)}) / {rate}")
        out.append(_events(table, per_year * f, h0, h1, select).replace("{t}", t))

    events("hotline_orders", 1_200_000, f"""
        'H' || i as order_id, t as created_at,
        case when {u(1)} > 0.3 then t + to_minutes(cast(5 + {u(2)} * 120 as bigint)) end as dispatched_at,
        t + interval 3 day as due_at,
        case when {u(3)} < 0.97 then t + to_minutes(cast((case when {u(4)} < 0.985 then {u(5)} * 4000
             else 4400 + {u(5)} * 3000 end) as bigint)) end as closed_at,
        {_pick(st, s, 6)} as street_code, {_pick(CATEGORIES, s, 7)} as category,
        {_pick(['电话', '网站', '微信', 'APP'], s, 8)} as channel,
        case when {u(3)} < 0.97 then '办结' else '办理中' end as status, {u(1)} > 0.3 as dispatched,
        {u(9)} > 0.05 as satisfied, {u(10)} > 0.08 as solved, {u(11)} > 0.2 as visited,
        'bench' as _source, t as _loaded_at""", 100)
    events("hotline_calls", 3000 * 365, f"""
        'C' || i as call_id, t as started_at, {_pick(ds, s, 1)} as district_code, {u(2)} > 0.03 as answered,
        cast({u(3)} * 90 as bigint) as wait_seconds, 'bench' as _source, t as _loaded_at""", 101)
    events("grid_events", 5000 * 365, f"""
        'G' || i as event_id, t as reported_at, t + interval 2 day as due_at,
        case when {u(1)} < 0.98 then t + to_minutes(cast({u(2)} * 3200 as bigint)) end as closed_at,
        {_pick(st, s, 3)} as street_code, {_pick(st, s, 3)} || lpad(cast(hash(i, {s}, 4) % 60 as varchar), 6, '0')
        as grid_code, {_pick(CATEGORIES, s, 5)} as category, {_pick(['网格员巡查', '群众上报', '视频发现'], s, 6)}
        as source, {u(7)} < 0.4 as is_city_mgmt, case when {u(1)} < 0.98 then '结案' else '处置' end as status,
        {u(1)} < 0.98 as handled, 'bench' as _source, t as _loaded_at""", 102)
    events("emergency_incidents", 50 * 365, f"""
        'E' || i as incident_id, t as received_at, t + to_minutes(cast(5 + {u(1)} * 25 as bigint)) as arrived_at,
        round(5 + {u(1)} * 25, 1) as response_minutes, {_pick(st, s, 2)} as street_code,
        {_pick(['火灾', '交通事故', '治安', '医疗', '自然灾害'], s, 3)} as kind,
        case when {u(4)} < 0.01 then 2 when {u(4)} < 0.1 then 3 else 4 end as level,
        cast({u(5)} * {u(5)} * 3 as bigint) as casualties, 'bench' as _source, t as _loaded_at""", 103)

    def hourly(table: str, entities: int, select: str, per_hour: int = 1) -> None:
        n = max(1, round(entities * f))
        t = _at(f"h + k / {per_hour}")
        out.append(f"""insert into {table} by name select {select} from (
            select e, h, k, {t} as t, hash(e, {s}) as key, (e * {per_hour * spec.hours + 1} + h * {per_hour} + k) as i
            from range({n}) a(e), range({h0}, {h1}) b(h), range({per_hour}) c(k))""")

    street_of = _pick(st, s, 0, "e")
    diurnal = "(0.6 + 0.4 * sin((h % 24) / 24.0 * 2 * pi()))"
    hourly("air_quality_hourly", 30, f"""
        'A' || lpad(cast(e as varchar), 5, '0') as station_code, t as measured_at, {street_of} as street_code,
        round(10 + 70 * {diurnal} * (0.5 + {u(1)}), 1) as pm25, round(20 + 90 * {diurnal} * (0.5 + {u(2)}), 1) as pm10,
        round(40 + 30 * (0.5 + {u(3)}), 1) as pm25_24h, round(60 + 40 * (0.5 + {u(4)}), 1) as pm10_24h,
        round(3 + 10 * {u(5)}, 1) as so2, round(10 + 50 * {u(6)}, 1) as no2, round(20 + 150 * {u(7)}, 1) as o3,
        round(0.3 + 1.2 * {u(8)}, 2) as co, 'bench' as _source, t as _loaded_at""")
    hourly("water_levels", 100, f"""
        'W' || lpad(cast(e as varchar), 5, '0') as station_id, t as measured_at, {street_of} as street_code,
        round(2.5 + 1.5 * sin(h / 8760.0 * 2 * pi()) + 0.3 * {u(1)}, 2) as level_m, 4.5 as warning_level_m,
        5.5 as guaranteed_level_m, round(2.5 + 1.5 * sin(h / 8760.0 * 2 * pi()) + 0.3 * {u(1)} - 4.5, 2)
        as above_warning_m, 'bench' as _source, t as _loaded_at""")
    hourly("rainfall", 100, f"""
        'R' || lpad(cast(e as varchar), 5, '0') as station_id, t as measured_at, {street_of} as street_code,
        case when {u(1)} < 0.9 then 0.0 else round({u(2)} * 25, 1) end as rain_mm, 'bench' as _source,
        t as _loaded_at""")
    hourly("traffic_congestion", 100, f"""
        'T' || lpad(cast(e as varchar), 5, '0') as road_id, t as measured_at, {street_of} as street_code,
        round(10 * {diurnal} * {u(1)}, 2) as congestion_index, round(15 + 45 * {u(2)}, 1) as speed_kmh,
        round(0.5 + (hash(e, {s}, 9) % 100) / 100.0 * 3, 2) as length_km, {u(3)} < 0.002 as accident,
        'bench' as _source, t as _loaded_at""")
    hourly("video_points", 2000, f"""
        'V' || lpad(cast(e as varchar), 6, '0') as point_id, t as checked_at, {street_of} as street_code,
        {_pick(['雪亮工程', '交通', '城管'], s, 1, 'e')} as kind, {u(2)} > 0.03 as online, 'bench' as _source,
        t as _loaded_at""", per_hour=max(1, 60 // spec.video_minutes))

    d0, d1 = -(-h0 // 24), -(-h1 // 24)   # days whose local midnight falls in [h0, h1)
    if d1 > d0:
        def daily(table: str, keys: list[str] | int, select: str) -> None:
            ent = (f"(select unnest([{', '.join(repr(k) for k in keys)}]) as e)" if isinstance(keys, list)
                   else f"range({keys}) a(e)")
            out.append(f"""insert into {table} by name select {select} from (
                select e, d, {_at('d * 24')} as t, hash(e, d, {s}) as i from {ent}, range({d0}, {d1}) b(d))""")

        daily("gov_services", ds, f"""
            e as district_code, t as stat_day, 1200 as items_total, 1100 as items_full_online, 400 as items_on_spot,
            cast(300 + {u(1)} * 200 as bigint) as applications, cast(250 + {u(1)} * 150 as bigint) as applications_online,
            cast(200 + {u(2)} * 50 as bigint) as reviews_total, cast(195 + {u(2)} * 50 as bigint) as reviews_good,
            cast({u(3)} * 3 as bigint) as reviews_bad, cast({u(3)} * 3 as bigint) as bad_rectified,
            4000.0 as promised_days, 9000.0 as statutory_days, 'bench' as _source, t as _loaded_at""")
        daily("health_daily", ds, f"""
            e as district_code, t as stat_day, cast(50 + {u(1)} * 100 as bigint) as fever_visits, 3000 as beds_total,
            cast(2200 + {u(2)} * 600 as bigint) as beds_occupied, cast(40 + {u(3)} * 40 as bigint) as ambulance_calls,
            cast(38 + {u(3)} * 38 as bigint) as ambulance_on_time, 'bench' as _source, t as _loaded_at""")
        daily("business_daily", ds, f"""
            e as district_code, t as stat_day, cast(30 + {u(1)} * 40 as bigint) as new_entities,
            cast(5 + {u(2)} * 15 as bigint) as cancelled_entities, 80000 + d * 20 as entities_total,
            cast(40 + {u(3)} * 20 as bigint) as permits_total, cast(35 + {u(3)} * 20 as bigint) as permits_online,
            round(80 + {u(4)} * 60, 1) as permit_days_total, cast({u(5)} * 10 as bigint) as complaints,
            'bench' as _source, t as _loaded_at""")
        daily("township_reports", st, f"""
            e || '-' || d as report_id, e as street_code, t as period_day, t + interval 18 hour as due_at,
            case when {u(1)} < 0.97 then t + to_minutes(cast(600 + {u(2)} * 600 as bigint)) end as submitted_at,
            case when {u(1)} < 0.97 then '已报' else '待报' end as status, 'bench' as _source, t as _loaded_at""")
        daily("data_resources", 200, f"""
            'D' || lpad(cast(e as varchar), 4, '0') as resource_id, t as snapshot_at,
            {_pick(ds, s, 0, 'e')} as district_code, {_pick(['经济', '社会', '基础'], s, 1, 'e')} as category,
            {u(2)} < 0.97 as mounted, {u(3)} < 0.95 as updated_on_time, {u(4)} < 0.96 as quality_ok,
            round(30 + {u(5)} * 50, 1) as cloud_cpu_pct, 'bench' as _source, t as _loaded_at""")
    return out


def fill(db, spec: Spec, h0: int, h1: int, bump: bool = True) -> None:
    """Generate the rows of every dataset in the window [h0, h1) (hours since START) in one transaction; bump
    every dataset's data version as a connector would."""
    with db.transaction() as cur:
        for sql in _sql(spec, h0, h1):
            cur.execute(sql)
        if bump:
            db.bump(cur, "data")
            for table in DATASETS:
                db.bump(cur, f"dataset:{table}")


DATASETS = ["hotline_orders", "hotline_calls", "grid_events", "emergency_incidents", "air_quality_hourly",
            "water_levels", "rainfall", "traffic_congestion", "video_points", "gov_services", "health_daily",
            "business_daily", "township_reports", "data_resources"]


def row_counts(db) -> dict[str, int]:
    """Rows per generated dataset."""
    return {t: db.one(f'select count(*) from "{t}"')[0] for t in DATASETS}


def build(spec: Spec, folder: Path | None = None, evaluate: bool = True, log=print) -> Deployment:
    """Generate the deployment for `spec` (reused from the cache folder when complete): config, accounts,
    one year of rows, and (with `evaluate`) a full evaluation of the catalog. Timings go in meta.json."""
    from cockpit import bootstrap
    from cockpit.core.clock import FixedClock
    from cockpit.demo.accounts import seed_accounts
    from indicators import engine

    folder = folder or CACHE / spec.name
    meta_file = folder / "meta.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("complete") and (meta.get("evaluated") or not evaluate):
            write_config(folder)  # follow the repository's configuration as it changes
            return Deployment(folder, spec, meta)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    write_config(folder)
    runtime = bootstrap.open_runtime(folder / "config.yaml", clock=FixedClock(spec.now()))
    seed_accounts(runtime.db, folder / "demo-logins.txt")
    meta: dict = {"spec": asdict(spec), "generator_version": GENERATOR_VERSION}
    t0 = time.perf_counter()
    step = CHUNK_DAYS * 24
    for h in range(0, spec.hours, step):
        fill(runtime.db, spec, h, min(spec.hours, h + step), bump=False)
        log(f"  generated hour {min(spec.hours, h + step)}/{spec.hours} ({time.perf_counter() - t0:.0f} s)")
    with runtime.db.transaction() as cur:
        runtime.db.bump(cur, "data")
    runtime.db.cursor().execute("checkpoint")
    meta["generate_seconds"] = time.perf_counter() - t0
    meta["rows"] = row_counts(runtime.db)
    meta["complete"] = True
    if evaluate:
        t0 = time.perf_counter()
        report = engine.evaluate(runtime.db, runtime.config, spec.now())
        meta["full_evaluation_seconds"] = time.perf_counter() - t0
        meta["indicators"] = len(report.modes)
        meta["indicator_values"] = runtime.db.one("select count(*) from indicator_values")[0]
        meta["evaluated"] = True
        runtime.db.cursor().execute("checkpoint")
    runtime.db.close()
    meta["db_bytes"] = (folder / "cockpit.duckdb").stat().st_size
    meta_file.write_text(json.dumps(meta, indent=1))
    return Deployment(folder, spec, meta)


def scratch_copy(dep: Deployment, folder: Path) -> Deployment:
    """A copy of the deployment in `folder` to run a server on (benchmarks that write leave the cache as built)."""
    shutil.copyfile(dep.db_path, folder / "cockpit.duckdb")
    shutil.copyfile(dep.folder / "demo-logins.txt", folder / "demo-logins.txt")
    write_config(folder)
    return Deployment(folder, dep.spec, dep.meta)


def main() -> None:
    """Generate (or reuse) a data set and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--video-minutes", type=int, default=60)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--no-evaluate", action="store_true")
    a = parser.parse_args()
    dep = build(Spec(a.scale, a.days, a.seed, a.video_minutes), a.folder, evaluate=not a.no_evaluate)
    print(json.dumps(dep.meta, indent=1))
    print(dep.folder)


if __name__ == "__main__":
    main()
