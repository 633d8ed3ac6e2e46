"""The OOO admin writes through ooo.services, with field errors in words."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from ooo.models import OutOfOffice
from tests.factories import OutOfOfficeFactory, UserFactory

ADD_URL = reverse("admin:ooo_outofoffice_add")


@pytest.fixture
def office(db, client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="office", is_staff=True, is_superuser=True))
    return client


def _form(user=None, *, start=("2022-04-20", "10:00"), end=("2022-04-21", "10:00"), message=""):  # type: ignore[no-untyped-def]
    data = {
        "is_active": "on",
        "start_date_0": start[0],
        "start_date_1": start[1],
        "end_date_0": end[0],
        "end_date_1": end[1],
        "message": message,
    }
    if user is not None:
        data["user"] = user.pk
    return data


def test_add_goes_through_the_service_and_history_names_who(office, member):
    response = office.post(ADD_URL, _form(member, message="Urlaub"))

    assert response.status_code == HTTPStatus.FOUND
    presence = OutOfOffice.objects.get(user=member)
    assert presence.message == "Urlaub"
    assert presence.history.get().history_user.username == "office"


def test_end_before_start_is_a_field_error_in_words(office, member):
    response = office.post(ADD_URL, _form(member, end=("2022-04-19", "10:00")))

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["end_date"] == [
        "The end must not be before the start."
    ]
    assert "onstraint" not in response.content.decode()
    assert not OutOfOffice.objects.exists()


def test_change_and_delete_go_through_the_service(office, member):
    presence = OutOfOfficeFactory(user=member, message="before")
    change_url = reverse("admin:ooo_outofoffice_change", args=[presence.pk])

    changed = office.post(change_url, _form(message="after"))
    presence.refresh_from_db()
    deleted = office.post(
        reverse("admin:ooo_outofoffice_delete", args=[presence.pk]), {"post": "yes"}
    )

    assert changed.status_code == HTTPStatus.FOUND
    assert presence.message == "after"
    assert presence.user == member  # not movable to another user
    assert deleted.status_code == HTTPStatus.FOUND
    assert not OutOfOffice.objects.exists()
    assert [h.history_type for h in OutOfOffice.history.order_by("history_id")][-1] == "-"
