"""The chain hashes a row's canonical text. `canonical` skips `to_python` for values it would
return unchanged; the text must be exactly `field_value`'s for every field (a different
text would break every chain hashed before), whatever types the values arrive in."""

import datetime as dt
import decimal
import uuid

import pytest
from django.apps import apps
from django.db import models

from closing.services import create_closure
from config.canonical import canonical, canonical_by_field_value
from config.chain import ChainedHistory
from tests.factories import (
    ClockBreakFactory,
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryBreakFactory,
    UserFactory,
    WorkingTimeFactory,
)

pytestmark = pytest.mark.django_db


def chained_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]


def test_every_stored_history_row_has_the_same_canonical_text_both_ways():
    user = UserFactory(first_name="Zoë", last_name="Ünal")
    PresenceFactory(user=user)
    WorkingTimeFactory(user=user)
    OutOfOfficeFactory(user=user, message="out ✈")
    TimeEntryBreakFactory(entry__user=user)
    ClockBreakFactory(clock__user=user)
    create_closure(
        actor=None,
        from_date=dt.date(2026, 1, 1),
        to_date=dt.date(2026, 1, 31),
        reason="payroll",
        user_ids=[user.pk],
    )
    compared = set()
    for model in chained_models():
        for row in model.objects.all():
            assert canonical(row) == canonical_by_field_value(row)
            compared.add(model._meta.label_lower)
    # Every kind of record left history behind (a new chained model needs a record above).
    assert len(compared) >= 8, compared


# Values of every type in every field (as a caller could set them): those of another type
# than the field's own take `to_python`'s conversion, as before.
ODD_VALUES = [
    True,
    1,
    "2026-03-05",
    "08:30",
    "2026-03-05T08:30:00+01:00",
    "12.50",
    dt.datetime(2026, 3, 5, 8, 30, tzinfo=dt.UTC),
    dt.date(2026, 3, 5),
    dt.time(8, 30),
    dt.datetime(2026, 3, 5, 8, 30),  # naive
    decimal.Decimal("12.50"),
    decimal.Decimal("NaN"),
    12.5,
    -7,
    "",
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "not a value of any type",
]


@pytest.mark.parametrize("model", chained_models(), ids=lambda m: m._meta.label_lower)
def test_values_of_any_type_give_the_same_canonical_text_both_ways(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            continue
        for value in ODD_VALUES:
            row = model()
            setattr(row, field.attname, value)
            assert canonical(row) == canonical_by_field_value(row), (field.attname, value)


def test_an_instant_written_again_gives_its_own_text_each_time():
    """`canonical` remembers the last instant's text: the same object gives the same text,
    and any other instant (equal or not, naive or aware) its own."""
    model = next(
        m for m in chained_models() if m._meta.label_lower == "presences.historicalpresence"
    )
    berlin = dt.timezone(dt.timedelta(hours=1))
    instants = [
        dt.datetime(2026, 3, 5, 8, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 5, 9, 30, tzinfo=berlin),  # the same instant, another offset
        dt.datetime(2026, 3, 5, 8, 30),  # naive
        dt.datetime(2026, 3, 5, 8, 31, tzinfo=dt.UTC),
    ]
    for instant in [*instants, instants[0], instants[0]]:
        row = model(created_at=instant, updated_at=instant, history_date=instant)
        assert canonical(row) == canonical_by_field_value(row), instant
        assert canonical(row) == canonical(row)
