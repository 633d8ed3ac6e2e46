"""Writes for working times, and the checks every write (API, admin, import) goes through.

checks     the rules of a record, the defaults and the editable fields
durations  worked time in real seconds, hours for the total
day        a whole day's record: replace the day (POST), save from the admin form
records    change or delete one record (PUT, DELETE, admin delete)
"""

from workingtimes.services.checks import (
    DEFAULTS,
    EDITABLE_FIELDS,
    TIME_FIELDS,
    WorkingTimeInvalid,
    api_total_check,
    check_working_time,
)
from workingtimes.services.day import replace_working_day, save_working_time
from workingtimes.services.durations import HUNDREDTH, clock, hours, worked_seconds
from workingtimes.services.records import delete_working_time, update_working_time

__all__ = [
    "DEFAULTS",
    "EDITABLE_FIELDS",
    "HUNDREDTH",
    "TIME_FIELDS",
    "WorkingTimeInvalid",
    "api_total_check",
    "check_working_time",
    "clock",
    "delete_working_time",
    "hours",
    "replace_working_day",
    "save_working_time",
    "update_working_time",
    "worked_seconds",
]
