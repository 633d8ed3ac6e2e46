"""Public holidays per region (`DE-BE`: country, then subdivision) from the `holidays` package."""

from __future__ import annotations

import datetime as dt
import functools

import holidays as holidays_lib

# The API speaks English; the names are stable for a given library version.
LANGUAGE = "en_US"


def split_region(region: str) -> tuple[str, str | None]:
    country, _, subdivision = region.strip().partition("-")
    return country.upper(), (subdivision or None)


def check_region(region: str) -> None:
    """Raise ValueError unless the library knows the country (and subdivision)."""
    country, subdivision = split_region(region)
    if not country:
        raise ValueError("a region is a country code, optionally '-' and a subdivision")
    try:
        holidays_lib.country_holidays(country, subdiv=subdivision, years=2000)
    except NotImplementedError as exc:
        raise ValueError(f"{region!r} is not a region the holidays library knows") from exc


@functools.lru_cache(maxsize=256)
def _year(region: str, year: int) -> dict[dt.date, str]:
    country, subdivision = split_region(region)
    calendar = holidays_lib.country_holidays(
        country, subdiv=subdivision, years=year, language=LANGUAGE
    )
    return dict(calendar.items())


def holiday_name(region: str, day: dt.date) -> str | None:
    """The public holiday's name on `day` in `region`, or None on an ordinary day."""
    return _year(region, day.year).get(day)
