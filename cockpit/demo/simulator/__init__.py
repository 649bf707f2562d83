"""The simulated city: plays 泰州市's government systems over the protocols real ones use (演示数据).

See README.md, section 演示城市 / simulated city, for what plays what, the volumes and the drills.
"""

from cockpit.demo.simulator.base import DRILLS
from cockpit.demo.simulator.city import City, city_from_config
from cockpit.demo.simulator.engine import BackfillReport, ScaledClock, Simulator

__all__ = ["DRILLS", "BackfillReport", "City", "ScaledClock", "Simulator", "city_from_config"]
