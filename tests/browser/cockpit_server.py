"""A cockpit server with figures: test rows written into dataset tables, evaluated by the indicator engine, then
`cockpit serve` on a free loopback port. Restartable, so a configuration change can be shown to take effect."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from cockpit import bootstrap
from cockpit.demo.accounts import seed_accounts
from tests.conftest import ROOT, free_port, start_cockpit, write_config
from tests.layouts.seed import seed


class CockpitServer:
    """The server process and its folder; `layouts_file` is this deployment's own copy of the topics config."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.layouts_file = folder / "layouts.yaml"
        text = (ROOT / "config/taizhou/layouts.yaml").read_text(encoding="utf-8")
        self.layouts_file.write_text(text.replace("rotate_seconds: 30", "rotate_seconds: 5"), encoding="utf-8")
        self.config = write_config(folder, self.port, core_only=False)
        cfg = self.config.read_text(encoding="utf-8")
        cfg = re.sub(r"layouts: !include \S+", f"layouts: !include {self.layouts_file}", cfg)
        self.config.write_text(cfg, encoding="utf-8")
        runtime = bootstrap.open_runtime(self.config)
        seed(runtime.db, runtime.config, datetime.now(UTC))
        seed_accounts(runtime.db, folder / "demo-logins.txt")
        runtime.db.close()
        self.logins = dict(line.split("\t", 1) for line in (folder / "demo-logins.txt").read_text().splitlines())
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Start serving (no scheduler: the figures stay exactly as seeded)."""
        self.proc = start_cockpit(self.config, self.port, self.folder, "serve", "--no-scheduler")

    def stop(self) -> None:
        """Stop the server process."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self) -> None:
        """Stop and start again (the configuration is read at start)."""
        self.stop()
        self.start()
