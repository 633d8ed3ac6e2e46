"""The back office: list, filters, search, history, and edits under the API's rules."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse

from presences.models import Presence
from tests.factories import AdminFactory, PresenceFactory
from tests.presences.conftest import intervals, snapshot

DAY = dt.date(2026, 5, 4)
CHANGELIST = reverse("admin:presences_presence_changelist")
ADD = reverse("admin:presences_presence_add")


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    user = AdminFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def form_data(user, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "user": user.pk,
        "date": "2026-05-04",
        "from_time": "08:00",
        "to_time": "12:00",
        "is_home_office": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def listed(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [p.pk for p in response.context["cl"].result_list]


@time_machine.travel(dt.datetime(2026, 5, 6, 10, tzinfo=dt.UTC), tick=False)
def test_changelist_filters_open_and_forgotten_presences(staff, member):
    closed = PresenceFactory(user=member)
    forgotten = PresenceFactory(user=member, date=DAY + dt.timedelta(days=1), to_time=None)
    today_open = PresenceFactory(user=member, date=dt.date(2026, 5, 6), to_time=None)

    assert sorted(listed(staff.get(CHANGELIST))) == sorted([closed.pk, forgotten.pk, today_open.pk])
    assert sorted(listed(staff.get(CHANGELIST, {"open": "open"}))) == sorted(
        [forgotten.pk, today_open.pk]
    )
    assert listed(staff.get(CHANGELIST, {"open": "forgotten"})) == [forgotten.pk]
    assert listed(staff.get(CHANGELIST, {"open": "closed"})) == [closed.pk]


def test_changelist_searches_by_name_and_filters_by_user_date_home_office(
    staff, member, other_member
):
    mine = PresenceFactory(user=member, is_home_office=True)
    theirs = PresenceFactory(user=other_member, date=DAY + dt.timedelta(days=40))

    assert listed(staff.get(CHANGELIST, {"q": "Member"})) == [mine.pk]
    assert listed(staff.get(CHANGELIST, {"q": "charlie"})) == [theirs.pk]
    assert listed(staff.get(CHANGELIST, {"user__id__exact": member.pk})) == [mine.pk]
    assert listed(staff.get(CHANGELIST, {"is_home_office__exact": "1"})) == [mine.pk]
    response = staff.get(CHANGELIST, {"date__year": "2026", "date__month": "6"})
    assert listed(response) == [theirs.pk]


def test_add_form_refuses_an_overlap_and_saves_nothing(staff, member):
    PresenceFactory(user=member)
    before = snapshot()

    response = staff.post(ADD, form_data(member, from_time="11:00", to_time="13:00"))

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "overlaps presence" in str(response.context["adminform"].form.errors)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"to_time": "08:00"}, "to_time", "must be later than from"),
        ({"to_time": ""}, "to_time", "open since"),  # a second open presence on the day
        ({"from_time": "08:00:30"}, "from_time", "whole minute"),
    ],
)
def test_add_form_applies_the_api_rules(staff, member, overrides, field, text):
    PresenceFactory(user=member, from_time=dt.time(18), to_time=None)
    before = snapshot()

    response = staff.post(ADD, form_data(member, **overrides))

    errors = response.context["adminform"].form.errors
    assert text in str(errors[field])
    assert snapshot() == before


def test_add_saves_through_the_service_home_office_and_history(staff, member):
    morning = PresenceFactory(user=member)

    response = staff.post(
        ADD, form_data(member, from_time="13:00", to_time="17:00", is_home_office="on")
    )

    assert response.status_code == HTTPStatus.FOUND
    assert intervals(member) == [("2026-05-04", "08:00", "12:00"), ("2026-05-04", "13:00", "17:00")]
    morning.refresh_from_db()
    assert morning.is_home_office is True  # the whole day
    created = Presence.objects.get(from_time=dt.time(13))
    assert created.history.get().history_user == staff.user


def test_change_form_refuses_to_before_from(staff, member):
    presence = PresenceFactory(user=member)
    before = snapshot()
    url = reverse("admin:presences_presence_change", args=[presence.pk])

    response = staff.post(url, form_data(member, to_time="07:00"))

    assert "must be later than from" in str(response.context["adminform"].form.errors)
    assert snapshot() == before


def test_change_and_history_views(staff, member):
    presence = PresenceFactory(user=member)
    url = reverse("admin:presences_presence_change", args=[presence.pk])

    response = staff.post(url, form_data(member, to_time="14:00"))

    assert response.status_code == HTTPStatus.FOUND
    presence.refresh_from_db()
    assert presence.to_time == dt.time(14)
    history = staff.get(reverse("admin:presences_presence_history", args=[presence.pk]))
    assert history.status_code == HTTPStatus.OK
    assert presence.history.first().history_user == staff.user


def test_delete_through_the_admin(staff, member):
    presence = PresenceFactory(user=member)
    url = reverse("admin:presences_presence_delete", args=[presence.pk])

    response = staff.post(url, {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Presence.objects.exists()
    assert presence.history.first().history_user == staff.user
