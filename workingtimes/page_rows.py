"""ProSonata list pages as rows, not model instances: `render_page_rows` writes exactly what
`WorkingTimeSerializer` writes for those records (tests/workingtimes/test_page_rows.py
compares both, as data and as JSON bytes)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

# A list page renders `values_list(*PAGE_COLUMNS)` rows with `render_page_rows`: no model
# instances, no DRF fields, a fraction of the CPU of `WorkingTimeSerializer(many=True)`.
# It must render exactly what WorkingTimeSerializer renders (same keys, order and values);
# tests/workingtimes/test_page_rows.py compares both, as data and as JSON bytes.
PAGE_COLUMNS = (
    "id",
    "user_id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__timezone",
    "working_date",
    "daily_time_start",
    "daily_time_end",
    "day_type",
    "half_holiday",
    "home_office",
    "break1_start",
    "break1_end",
    "break2_start",
    "break2_end",
    "break3_start",
    "break3_end",
    "break4_start",
    "break4_end",
    "daily_time_total",
    "comments",
    "edited_by_id",
    "created_at",
    "created_via_api",
)


def _wall_time(value: Any) -> str | None:
    # time.isoformat() is "HH:MM:SS[.ffffff]": its first eight characters are
    # strftime(TIME_FORMAT), without strftime's per-call format parsing.
    return None if value is None else value.isoformat()[:8]


def render_page_rows(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Wire dicts of `PAGE_COLUMNS` rows, as WorkingTimeSerializer renders those records."""
    return [
        {
            "workingTimeID": pk,
            "userID": user_id,
            "username": str(username),
            "userFirstName": str(first_name),
            "userLastName": str(last_name),
            "workingDate": working_date.isoformat(),
            "dailyTimeStart": _wall_time(start),
            "dailyTimeEnd": _wall_time(end),
            "dayType": day_type,
            "halfHoliday": 1 if half_holiday else 0,
            "homeOffice": 1 if home_office else 0,
            "break1Start": _wall_time(break1_start),
            "break1End": _wall_time(break1_end),
            "break2Start": _wall_time(break2_start),
            "break2End": _wall_time(break2_end),
            "break3Start": _wall_time(break3_start),
            "break3End": _wall_time(break3_end),
            "break4Start": _wall_time(break4_start),
            "break4End": _wall_time(break4_end),
            "dailyTimeTotal": float(total),
            "comments": str(comments),
            "editedByUserID": edited_by_id or 0,
            "workingTimeCreationDate": (
                None
                if created_at is None
                # As get_workingTimeCreationDate, with the zone of User.zone.
                else timezone.localtime(
                    created_at, zoneinfo.ZoneInfo(zone_name or settings.TIME_ZONE)
                ).isoformat(timespec="seconds")
            ),
            "workingTimeViaApi": 1 if via_api else 0,
        }
        for (
            pk,
            user_id,
            username,
            first_name,
            last_name,
            zone_name,
            working_date,
            start,
            end,
            day_type,
            half_holiday,
            home_office,
            break1_start,
            break1_end,
            break2_start,
            break2_end,
            break3_start,
            break3_end,
            break4_start,
            break4_end,
            total,
            comments,
            edited_by_id,
            created_at,
            via_api,
        ) in rows
    ]
