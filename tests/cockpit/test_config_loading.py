"""Configuration: every mistake reported with its key path; the app refuses to start on a bad config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.core.config import ConfigInvalid, load_config
from tests.conftest import ROOT, write_config


def test_demo_config_is_valid(tmp_path):
    config = load_config(write_config(tmp_path))
    levels = [a.level for a in config.areas]
    assert levels.count("city") == 1 and levels.count("district") == 6 and levels.count("street") == 88
    assert len([u for u in config.units if u.kind == "department"]) >= 12


def _broken(tmp_path: Path) -> Path:
    path = write_config(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("port: 8050", "port: 99999")                 # 1: out of range
    text = text.replace("timezone: Asia/Shanghai", "timezone: Mars/Olympus")  # 2: unknown zone
    text = text.replace("  threads: 8", "  threads: 8\n  colour: blue")      # 3: unknown key
    path.write_text(text, encoding="utf-8")
    return path


def test_three_mistakes_are_all_reported_with_key_paths(tmp_path):
    with pytest.raises(ConfigInvalid) as err:
        load_config(_broken(tmp_path))
    paths = sorted(i.path for i in err.value.issues)
    assert paths == ["city.timezone", "server.colour", "server.port"]


def test_cockpit_check_and_serve_refuse_a_bad_config(tmp_path):
    config = _broken(tmp_path)
    for command in (["check"], ["serve", "--no-scheduler"]):
        proc = subprocess.run([sys.executable, "-m", "cockpit.cli", "--config", str(config), *command],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        for key in ("server.port", "city.timezone", "server.colour"):
            assert key in proc.stderr


def test_cross_references_are_checked(tmp_path):
    path = write_config(tmp_path)
    units = tmp_path / "units.yaml"
    units.write_text('- {id: dept_x, name: 某局, area: "999999"}\n- {id: dept_x, name: 某局二, area: "321200"}\n',
                     encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    text = "\n".join(f"units: !include {units}" if line.startswith("units:") else line for line in text.splitlines())
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigInvalid) as err:
        load_config(path)
    assert {i.path for i in err.value.issues} == {"units[0].area", "units[1].id"}


def test_environment_secrets_are_substituted_and_missing_ones_reported(tmp_path, monkeypatch):
    path = write_config(tmp_path)
    text = path.read_text(encoding="utf-8").replace("threads: 8", "threads: 8\n  secret_key: ${COCKPIT_TEST_KEY}")
    path.write_text(text, encoding="utf-8")
    monkeypatch.delenv("COCKPIT_TEST_KEY", raising=False)
    with pytest.raises(ConfigInvalid) as err:
        load_config(path)
    assert err.value.issues[0].path == "server.secret_key"
    monkeypatch.setenv("COCKPIT_TEST_KEY", "s3cret")
    assert load_config(path).server.secret_key.get_secret_value() == "s3cret"


def test_configuration_reference_is_current():
    from cockpit.core.config.reference import reference_markdown

    doc = ROOT / "docs" / "configuration.md"
    assert doc.read_text(encoding="utf-8") == reference_markdown(), "run: make docs"


def test_a_second_process_gets_a_clear_message_while_the_database_is_in_use(tmp_path):
    from cockpit import bootstrap

    config = write_config(tmp_path)
    rt = bootstrap.open_runtime(config)  # this process holds the file, as `cockpit serve` would
    proc = subprocess.run([sys.executable, "-m", "cockpit.cli", "--config", str(config), "users", "list"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    rt.db.close()
    assert proc.returncode == 3
    assert "cockpit serve" in proc.stderr and "Traceback" not in proc.stderr
