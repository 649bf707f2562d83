"""Every callback of the task pages and dialogs checks the caller's role on the server (`guarded`), and no role
outside the desk, leaders and handlers is let in."""

from __future__ import annotations

import json
import subprocess
import sys

TASK_MODULES = ["layouts.components.dispatch", "layouts.components.task_detail", "layouts.pages.tasks_board",
                "layouts.pages.task_stats", "layouts.pages.my_tasks"]

# Dash hands the registered callbacks to the first app that serves a request, emptying its global map: read
# them in a fresh interpreter so that apps other tests built in this process cannot hide any.
PROBE = """
import importlib, json, sys
from dash._callback import GLOBAL_CALLBACK_MAP
modules = sys.argv[1:]
for name in modules:
    importlib.import_module(name)
print(json.dumps([[v["callback"].__module__, v["callback"].__name__,
                   sorted(getattr(v["callback"], "allowed_roles", None) or [])]
                  for v in GLOBAL_CALLBACK_MAP.values() if v["callback"].__module__ in modules]))
"""


def test_every_task_callback_is_guarded_by_role():
    out = subprocess.run([sys.executable, "-c", PROBE, *TASK_MODULES], capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    assert len(found) >= 7
    for module, name, roles in found:
        assert roles, f"{module}.{name} is not guarded"
        assert not set(roles) & {"admin", "auditor"}, name
    handler_callbacks = {name for _module, name, roles in found if "handler" in roles}
    assert handler_callbacks == {"act_on_task", "show_chosen_files"}
