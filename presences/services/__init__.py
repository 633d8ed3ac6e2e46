"""Writes for presences, and the rules every write (API, admin, touch) checks.

checks   the day's invariants, and the saves every write shares
records  create, update, delete one presence
touch    MOCO's time clock
"""

from presences.services.checks import check_presence_rules
from presences.services.records import create_presence, delete_presence, update_presence
from presences.services.touch import parse_override, touch_presence

__all__ = [
    "check_presence_rules",
    "create_presence",
    "delete_presence",
    "parse_override",
    "touch_presence",
    "update_presence",
]
