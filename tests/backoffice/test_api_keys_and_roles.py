"""API keys in the back office: status at a glance, optional expiry; roles explained."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiKey
from accounts.services import create_api_key, revoke_api_key
from tests.factories import AdminFactory, UserFactory

NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


@time_machine.travel(NOW, tick=False)
def test_key_list_says_active_revoked_or_expired(staff):  # type: ignore[no-untyped-def]
    user = UserFactory()
    create_api_key(user=user, label="active")
    revoked, _ = create_api_key(user=user, label="revoked")
    revoke_api_key(api_key=revoked)
    create_api_key(user=user, label="expired", expires_at=NOW + dt.timedelta(hours=1))

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        response = staff.get(reverse("admin:accounts_apikey_changelist"))
        statuses = {key.label: key.status for key in response.context["cl"].result_list}

    assert statuses == {"active": "Active", "revoked": "Revoked", "expired": "Expired"}
    assert b"Expired" in response.content


@pytest.mark.parametrize(
    ("hours_later", "expected"), [(0, HTTPStatus.OK), (2, HTTPStatus.UNAUTHORIZED)]
)
def test_an_expired_key_no_longer_authenticates(api_client, db, hours_later, expected):  # type: ignore[no-untyped-def]
    user = UserFactory()
    with time_machine.travel(NOW, tick=False):
        _, raw = create_api_key(user=user, expires_at=NOW + dt.timedelta(hours=1))
    with time_machine.travel(NOW + dt.timedelta(hours=hours_later), tick=False):
        response = api_client(None).get(
            "/api/v1/users/presences", HTTP_AUTHORIZATION=f"Token token={raw}"
        )
    assert response.status_code == expected


def test_a_key_is_added_with_an_expiry(staff):  # type: ignore[no-untyped-def]
    user = UserFactory()
    expires = (timezone.localtime() + dt.timedelta(days=30)).replace(microsecond=0)
    response = staff.post(
        reverse("admin:accounts_apikey_add"),
        {
            "user": user.pk,
            "label": "contractor",
            "expires_at_0": expires.strftime("%d.%m.%Y"),
            "expires_at_1": expires.strftime("%H:%M"),
        },
    )
    assert response.status_code == HTTPStatus.OK  # the page that shows the raw key once
    key = ApiKey.objects.get()
    assert key.expires_at == expires.replace(second=0)
    assert key.status == "Active"


def test_an_expiry_in_the_past_is_refused(staff):  # type: ignore[no-untyped-def]
    user = UserFactory()
    response = staff.post(
        reverse("admin:accounts_apikey_add"),
        {"user": user.pk, "label": "x", "expires_at_0": "01.01.2020", "expires_at_1": "10:00"},
    )
    assert b"The expiry must lie in the future." in response.content
    assert not ApiKey.objects.exists()


def test_the_user_page_explains_role_versus_staff(staff):  # type: ignore[no-untyped-def]
    user = UserFactory()
    response = staff.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert b"Staff status and superuser decide what they may do" in response.content
