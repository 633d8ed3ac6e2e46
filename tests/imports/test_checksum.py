"""The ledger's checksum: equal values give equal digests, any change gives another."""

import datetime as dt
from decimal import Decimal

import pytest

from imports.sources.base import checksum

BASE = {
    "user": 7,
    "date": dt.date(2021, 3, 4),
    "from_time": dt.time(8, 0),
    "to_time": None,
    "total": Decimal("7.75"),
    "comments": "",
    "breaks": ((dt.datetime(2021, 3, 4, 11, tzinfo=dt.UTC), dt.datetime(2021, 3, 4, 12)),),
}


def test_equal_values_give_equal_digests():
    assert checksum(dict(BASE)) == checksum(dict(BASE))


@pytest.mark.parametrize(
    "change",
    [
        {"user": 8},
        {"date": dt.date(2021, 3, 5)},
        {"from_time": dt.time(8, 1)},
        {"to_time": dt.time(0, 0)},  # midnight is a value, not "open"
        {"total": Decimal("7.76")},
        {"to_time": "None"},  # the string, not the null
        {"comments": "\x1f"},  # a separator inside a value
        {"breaks": ()},
    ],
)
def test_any_changed_value_gives_another_digest(change):
    assert checksum({**BASE, **change}) != checksum(BASE)


def test_values_cannot_shift_between_keys():
    assert checksum({"a": "x", "b": ""}) != checksum({"a": "", "b": "x"})
    assert checksum({"a": "x\x1fy"}) != checksum({"a": "x", "b": "y"})
