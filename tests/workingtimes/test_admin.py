"""Back office: list, filters, the form's checks (the API's), history."""

from datetime import date, time
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import UserFactory, WorkingTimeFactory
from workingtimes.models import WorkingTime


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="office", is_staff=True, is_superuser=True)


@pytest.fixture
def office(client, staff):  # type: ignore[no-untyped-def]
    client.force_login(staff)
    return client


def _form(user, **changes):  # type: ignore[no-untyped-def]
    data = {
        "user": user.pk,
        "working_date": "2021-03-02",
        "day_type": 0,
        "daily_time_start": "08:18:00",
        "daily_time_end": "16:48:00",
        "daily_time_total": "7.75",
        "break1_start": "12:06:00",
        "break1_end": "12:51:00",
        "comments": "",
    }
    for key in (
        "break2_start",
        "break2_end",
        "break3_start",
        "break3_end",
        "break4_start",
        "break4_end",
    ):
        data[key] = ""
    data.update(changes)
    return data


ADD_URL = reverse("admin:workingtimes_workingtime_add")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?day_type__exact=1",
        "?home_office__exact=1",
        "?half_holiday__exact=0",
        "?working_date__year=2021&working_date__month=3",
        "?q=bob",
        "?user__id__exact=1",
    ],
)
def test_changelist_with_filters_and_search(office, member, query):
    WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))
    WorkingTimeFactory(user=member, working_date=date(2021, 3, 3), day_type=1)

    response = office.get(reverse("admin:workingtimes_workingtime_changelist") + query)

    assert response.status_code == HTTPStatus.OK


def test_add_form_creates_a_record_not_via_api(office, staff, member):
    response = office.post(ADD_URL, _form(member))

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    record = WorkingTime.objects.get()
    assert (record.user, record.daily_time_total, record.created_via_api) == (
        member,
        Decimal("7.75"),
        False,
    )
    assert record.edited_by == staff
    assert record.history.get().history_user == staff


def test_add_form_computes_an_empty_work_day_total(office, member):
    response = office.post(ADD_URL, _form(member, daily_time_total=""))

    assert response.status_code == HTTPStatus.FOUND
    assert WorkingTime.objects.get().daily_time_total == Decimal("7.75")


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"daily_time_total": "7.50"}, "daily_time_total", "expected 7.75"),
        ({"daily_time_total": "", "day_type": 1}, "daily_time_total", "Required"),
        ({"daily_time_end": "08:00:00"}, "daily_time_end", "must be after"),
        ({"break1_end": ""}, "break1_end", "is required"),
        ({"break2_start": "07:00:00", "break2_end": "07:30:00"}, "break2_start", "outside"),
        ({"break2_start": "12:30:00", "break2_end": "13:00:00"}, "break2_start", "overlaps"),
    ],
)
def test_add_form_refuses_what_the_api_refuses(office, member, changes, field, fragment):
    response = office.post(ADD_URL, _form(member, **changes))

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert fragment in " ".join(errors[field])
    assert not WorkingTime.objects.exists()


def test_add_form_refuses_a_second_record_for_the_day(office, member):
    WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))

    response = office.post(ADD_URL, _form(member))

    assert response.status_code == HTTPStatus.OK
    assert WorkingTime.objects.count() == 1


def test_change_form_edits_breaks_and_history_shows_it(office, staff, member):
    record = WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))
    url = reverse("admin:workingtimes_workingtime_change", args=[record.pk])
    assert office.get(url).status_code == HTTPStatus.OK

    response = office.post(
        url,
        _form(
            member,
            daily_time_start="08:00:00",
            daily_time_end="16:30:00",
            break1_start="12:00:00",
            break1_end="12:30:00",
            break2_start="15:00:00",
            break2_end="15:15:00",
            daily_time_total="",
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    record.refresh_from_db()
    assert (record.break2_start, record.break2_end) == (time(15, 0), time(15, 15))
    assert record.daily_time_total == Decimal("7.75")
    history_url = reverse("admin:workingtimes_workingtime_history", args=[record.pk])
    history = office.get(history_url)
    assert history.status_code == HTTPStatus.OK
    assert record.history.count() == 2
    assert record.history.first().history_user == staff


def test_delete_in_admin_is_recorded(office, staff, member):
    record = WorkingTimeFactory(user=member)
    url = reverse("admin:workingtimes_workingtime_delete", args=[record.pk])

    response = office.post(url, {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not WorkingTime.objects.exists()
    assert WorkingTime.history.get(history_type="-").history_user == staff


def test_a_working_time_does_not_move_to_another_user_in_the_admin(client, db):  # type: ignore[no-untyped-def]
    from django.urls import reverse as _reverse

    from tests.factories import AdminFactory as _Admin
    from tests.factories import UserFactory as _User
    from tests.factories import WorkingTimeFactory as _WorkingTime

    client.force_login(_Admin(username="root2", is_staff=True, is_superuser=True))
    record = _WorkingTime()
    page = client.get(_reverse("admin:workingtimes_workingtime_change", args=[record.pk]))
    assert b'name="user"' not in page.content
    owner = record.user_id
    client.post(
        _reverse("admin:workingtimes_workingtime_change", args=[record.pk]),
        {"user": _User().pk},
    )
    record.refresh_from_db()
    assert record.user_id == owner
