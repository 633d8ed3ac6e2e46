"""FastReadMixin renders exactly what DRF's own `to_representation` renders.

Every list serializer of the four APIs that renders through DRF fields (MOCO presences and
their user, ProSonata working times) is compared, mixed in and plain, on rows from the
database, as data and as the JSON bytes the dialects send. McTime's times and Huddle's
presences render their items in hand-written code (no DRF fields), so nothing to compare.
The synthetic serializer covers what the mixin hands back to DRF.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework import serializers

from accounts.models import User
from config.api.serializers import FastReadMixin
from presences.models import Presence
from presences.serializers import PresenceSerializer, PresenceUserSerializer
from tests.factories import PresenceFactory, UserFactory, WorkingTimeFactory
from tests.rendering import assert_renders_alike
from workingtimes.models import WorkingTime
from workingtimes.serializers import WorkingTimeSerializer

LIST_SERIALIZERS = [
    (PresenceSerializer, Presence),
    (PresenceUserSerializer, User),
    (WorkingTimeSerializer, WorkingTime),
]


def fast(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The serializer with the mixin put first, as an app adopts it."""
    if issubclass(serializer_class, FastReadMixin):
        return serializer_class
    return type(f"Fast{serializer_class.__name__}", (FastReadMixin, serializer_class), {})


def plain(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The serializer with DRF's own to_representation, whether or not it adopted the mixin."""
    if not issubclass(serializer_class, FastReadMixin):
        return serializer_class
    drf = serializers.Serializer.to_representation
    name = f"Plain{serializer_class.__name__}"
    return type(name, (serializer_class,), {"to_representation": drf})


@pytest.fixture
def rows(db):  # type: ignore[no-untyped-def]
    ada = UserFactory(username="ada", first_name="Ada 😀", last_name="Lovelace\u2028")
    zoe = UserFactory(username="zoë", first_name="", last_name='Quote"Back\\slash')
    PresenceFactory(user=ada)
    PresenceFactory(user=zoe, to_time=None, is_home_office=True, date=dt.date(2026, 5, 5))
    WorkingTimeFactory(user=ada)
    WorkingTimeFactory(
        user=zoe,
        break1_start=None,
        break1_end=None,
        daily_time_total=Decimal("7.75"),
        half_holiday=True,
        home_office=True,
        comments="Überstunden\u2029\t",
        edited_by=ada,
    )


@pytest.mark.parametrize(("serializer_class", "model"), LIST_SERIALIZERS)
def test_same_output_as_drf(rows, serializer_class, model) -> None:  # type: ignore[no-untyped-def]
    items = list(model.objects.order_by("pk"))
    assert items
    mixed = fast(serializer_class)(items, many=True).data
    drf = plain(serializer_class)(items, many=True).data
    assert_renders_alike(mixed, drf)
    for item in items:
        assert fast(serializer_class)(item).data == plain(serializer_class)(item).data


class Owner:
    name = "owner"

    def shout(self) -> str:
        return "OWNER"


class Sample(serializers.Serializer):
    """Every kind of source the mixin hands back to DRF, and the plain ones it reads itself."""

    name = serializers.CharField()
    owner_name = serializers.CharField(source="owner.name", allow_null=True)
    owner_shout = serializers.CharField(source="owner.shout", required=False)
    computed = serializers.SerializerMethodField()
    whole = serializers.CharField(source="*")
    missing = serializers.CharField(required=False)
    missing_default = serializers.CharField(default="fallback")
    method = serializers.CharField(source="get_label")
    secret = serializers.CharField(write_only=True)

    def get_computed(self, obj: object) -> str:
        return "computed"


class FastSample(FastReadMixin, Sample):
    pass


def record(owner: object) -> SimpleNamespace:
    return SimpleNamespace(name="x", owner=owner, get_label=lambda: "label", secret="s")


@pytest.mark.parametrize(
    "instance",
    [
        record(Owner()),
        record(None),
        {"name": "m", "owner": {"name": "n", "shout": "s"}, "get_label": "l", "missing": "y"},
    ],
)
def test_fallbacks_match_drf(instance) -> None:  # type: ignore[no-untyped-def]
    assert FastSample(instance).data == Sample(instance).data


def test_a_failing_lookup_fails_as_in_drf() -> None:
    class Strict(serializers.Serializer):
        name = serializers.CharField()

    class FastStrict(FastReadMixin, Strict):
        pass

    with pytest.raises(AttributeError) as drf:
        Strict(SimpleNamespace()).data  # noqa: B018
    with pytest.raises(AttributeError) as mixed:
        FastStrict(SimpleNamespace()).data  # noqa: B018
    assert str(mixed.value) == str(drf.value).replace("Strict", "FastStrict")
