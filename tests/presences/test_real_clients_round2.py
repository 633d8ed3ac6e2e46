"""The compatibility items of MOCO presences through the real client libraries, against a
live server: moco-py 1.2.0 (`base_url`) and moco-wrapper 0.11.2 (its domain overridden).

Only what each library can send is tested through it: neither builds `.json` paths, and
moco-wrapper sends no `override` and drops `None` filters. Those items are covered through
HTTP in test_compat_round2.py.
"""

import datetime as dt

import moco_py
import moco_wrapper
import pytest
import time_machine
from moco_wrapper.util.response import EmptyResponse

from presences.models import Presence
from tests.factories import PresenceFactory, raw_api_key
from tests.presences.conftest import intervals

pytestmark = pytest.mark.django_db(transaction=True)

# 2026-05-04 09:30 in Berlin (CEST) is 07:30 UTC.
AT_0930 = dt.datetime(2026, 5, 4, 7, 30, 10, tzinfo=dt.UTC)
AT_0930_LATER = dt.datetime(2026, 5, 4, 7, 30, 50, tzinfo=dt.UTC)
AT_1000 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


class TimebridgeMoco(moco_wrapper.Moco):
    """moco-wrapper hard-codes `https://{domain}.mocoapp.com/api/v1`; this points it here."""

    def __init__(self, base: str, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self._base = base

    @property
    def full_domain(self) -> str:
        return self._base


@pytest.fixture
def mocopy(live_server):  # type: ignore[no-untyped-def]
    made = []

    def make(user):  # type: ignore[no-untyped-def]
        client = moco_py.Moco(
            api_key=raw_api_key(user), base_url=f"{live_server.url}/api/v1", max_retries=0
        )
        made.append(client)
        return client

    yield make
    # Closing the kept-alive HTTP connections ends the server's handler threads, which
    # then close their database connections (the test database can be dropped).
    for client in made:
        client.close()


@pytest.fixture
def wrapper(live_server):  # type: ignore[no-untyped-def]
    made = []

    def make(user):  # type: ignore[no-untyped-def]
        client = TimebridgeMoco(
            f"{live_server.url}/api/v1",
            auth={"api_key": raw_api_key(user), "domain": "timebridge"},
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.session.close()


# --- a touch must not delete a presence it did not start -----------------------------------


def test_moco_py_touch_does_not_delete_a_presence_it_did_not_start(mocopy, member):
    client = mocopy(member)
    with time_machine.travel(AT_0930, tick=False):
        client.presences.create(date="2026-05-04", from_time="09:30")
    with (
        time_machine.travel(AT_0930_LATER, tick=False),
        pytest.raises(moco_py.MocoError) as refused,
    ):
        client.presences.touch()

    assert refused.value.status_code == 423
    assert intervals(member) == [("2026-05-04", "09:30", None)]


def test_moco_wrapper_touch_does_not_delete_a_presence_it_did_not_start(wrapper, member):
    client = wrapper(member)
    with time_machine.travel(AT_0930, tick=False):
        client.UserPresence.create("2026-05-04", "09:30")
    # moco-wrapper has no branch for 423 (neither success nor error): its objector fails
    # on the missing response. A library limitation; the presence is kept.
    with time_machine.travel(AT_0930_LATER, tick=False), pytest.raises(AttributeError):
        client.UserPresence.touch()

    assert intervals(member) == [("2026-05-04", "09:30", None)]


def test_moco_wrapper_touch_discards_a_presence_it_started_in_the_same_minute(wrapper, member):
    client = wrapper(member)
    with time_machine.travel(AT_0930, tick=False):
        opened = client.UserPresence.touch()
    with time_machine.travel(AT_0930_LATER, tick=False):
        discarded = client.UserPresence.touch()

    assert opened.data["to"] is None  # moco-wrapper keeps touch answers as dicts
    assert isinstance(discarded, EmptyResponse)
    assert not Presence.objects.exists()


# --- a conflicting touch is 423 ---------------------------------------------------------


def test_moco_py_conflicting_touch_is_423(mocopy, member):
    client = mocopy(member)
    client.presences.create(date="2026-05-04", from_time="23:58")
    with time_machine.travel(AT_1000, tick=False), pytest.raises(moco_py.MocoError) as refused:
        client.presences.touch()

    assert refused.value.status_code == 423
    assert not isinstance(refused.value, moco_py.ValidationError)  # never 422


def test_moco_py_conflicting_override_touch_is_423(mocopy, member):
    client = mocopy(member)
    client.presences.create(date="2026-05-04", from_time="09:00")
    with pytest.raises(moco_py.MocoError) as refused:
        client.presences.touch(override="2026-05-04 08:00")

    assert refused.value.status_code == 423


def test_moco_wrapper_conflicting_touch_is_not_422(wrapper, member):
    client = wrapper(member)
    client.UserPresence.create("2026-05-04", "23:58")
    # 422 would raise UnprocessableException; 423 hits the library's missing branch.
    with time_machine.travel(AT_1000, tick=False), pytest.raises(AttributeError):
        client.UserPresence.touch()

    assert intervals(member) == [("2026-05-04", "23:58", None)]


# --- "to": "" is left blank -------------------------------------------------------------


def test_moco_py_blank_to_leaves_the_presence_open(mocopy, member):
    created = mocopy(member).presences.create(date="2026-05-04", from_time="08:00", to="")

    assert created.parsed.to is None
    assert intervals(member) == [("2026-05-04", "08:00", None)]


def test_moco_wrapper_blank_to_leaves_the_presence_open(wrapper, member):
    created = wrapper(member).UserPresence.create("2026-05-04", "08:00", to_time="")

    assert created.data.to_time is None
    assert intervals(member) == [("2026-05-04", "08:00", None)]


def test_moco_py_blank_to_reopens_on_update(mocopy, member):
    presence = PresenceFactory(user=member)

    updated = mocopy(member).presences.update(presence.pk, to="")

    assert updated.parsed.to is None


def test_moco_wrapper_blank_to_reopens_on_update(wrapper, member):
    presence = PresenceFactory(user=member)

    updated = wrapper(member).UserPresence.update(presence.pk, to_time="")

    assert updated.data.to_time is None


# --- empty filter values are no filter -------------------------------------------------


def test_moco_py_empty_filter_values_are_no_filter(mocopy, admin, member, other_member):
    PresenceFactory(user=member, is_home_office=True)
    PresenceFactory(user=other_member)

    page = mocopy(admin).presences.list(user_id="", is_home_office="")  # type: ignore[arg-type]

    assert sorted(p.user.id for p in page) == sorted([member.pk, other_member.pk])


def test_moco_wrapper_empty_filter_values_are_no_filter(wrapper, admin, member, other_member):
    PresenceFactory(user=member, is_home_office=True)
    PresenceFactory(user=other_member)

    listed = wrapper(admin).UserPresence.getlist(user_id="", is_home_office="")

    assert sorted(p.user.id for p in listed.items) == sorted([member.pk, other_member.pk])


# --- a PUT that changes nothing keeps updated_at ----------------------------------------


def test_moco_py_put_that_changes_nothing_keeps_updated_at(mocopy, member):
    client = mocopy(member)
    with time_machine.travel(AT_0930, tick=False):
        created = client.presences.create(date="2026-05-04", from_time="08:00", to="09:00")
    with time_machine.travel(AT_1000 + dt.timedelta(days=1), tick=False):
        updated = client.presences.update(created.parsed.id, from_time="08:00", to="09:00")

    assert updated.parsed.updated_at == created.parsed.updated_at


def test_moco_wrapper_put_that_changes_nothing_keeps_updated_at(wrapper, member):
    client = wrapper(member)
    with time_machine.travel(AT_0930, tick=False):
        created = client.UserPresence.create("2026-05-04", "08:00", to_time="09:00")
    with time_machine.travel(AT_1000 + dt.timedelta(days=1), tick=False):
        updated = client.UserPresence.update(created.data.id, from_time="08:00", to_time="09:00")

    assert updated.data.updated_at == created.data.updated_at
