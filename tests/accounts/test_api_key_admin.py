"""API keys in the back office: shown once on a page, revoked for good, kept in history."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import ApiKey
from accounts.services import find_active_api_key, revoke_api_key
from tests.factories import UserFactory, raw_api_key

ADD_URL = reverse("admin:accounts_apikey_add")
LIST_URL = reverse("admin:accounts_apikey_changelist")


@pytest.fixture
def office(client, db):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="office", is_staff=True, is_superuser=True))
    return client


def _change_url(api_key: ApiKey) -> str:
    return reverse("admin:accounts_apikey_change", args=[api_key.pk])


def test_added_key_is_shown_once_on_a_page_and_never_in_the_messages_cookie(office, member):
    response = office.post(ADD_URL, {"user": member.pk, "label": "terminal"})

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    api_key = ApiKey.objects.get(user=member, label="terminal")
    raw_key = response.context["raw_key"]
    assert raw_key in response.content.decode()
    assert find_active_api_key(raw_key) == api_key
    # Nothing the browser keeps carries it: no messages cookie, no session entry.
    assert "messages" not in response.cookies
    assert all(raw_key not in morsel.value for morsel in response.cookies.values())
    assert all(raw_key not in str(value) for value in office.session.values())
    # The next page of the admin does not show it again.
    assert raw_key not in office.get(_change_url(api_key)).content.decode()


def test_revocation_is_not_an_editable_field(office, member):
    raw_api_key(member)
    api_key = ApiKey.objects.get(user=member)

    page = office.get(_change_url(api_key))

    assert "revoked_at" not in page.context["adminform"].form.fields


def test_a_revoked_key_stays_revoked_whatever_the_change_form_posts(office, member):
    raw = raw_api_key(member)
    api_key = ApiKey.objects.get(user=member)
    revoke_api_key(api_key=api_key)
    revoked_at = ApiKey.objects.get(pk=api_key.pk).revoked_at

    office.post(
        _change_url(api_key),
        {"label": "back again", "revoked_at_0": "", "revoked_at_1": "", "revoked_at": ""},
    )

    api_key.refresh_from_db()
    assert api_key.revoked_at == revoked_at
    assert api_key.label == "test"  # a revoked key is closed
    assert find_active_api_key(raw) is None


def test_revoke_button_on_the_key_page_revokes_it(office, member):
    raw = raw_api_key(member)
    api_key = ApiKey.objects.get(user=member)
    assert "_revoke" in office.get(_change_url(api_key)).content.decode()

    response = office.post(_change_url(api_key), {"label": "test", "_revoke": "Revoke"})

    assert response.status_code == HTTPStatus.FOUND
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert find_active_api_key(raw) is None


def test_revoke_action_revokes_and_keeps_the_first_revocation_time(office, member):
    raw_api_key(member, label="a")
    raw_api_key(member, label="b")
    first = ApiKey.objects.get(label="a")
    revoke_api_key(api_key=first)
    first_time = ApiKey.objects.get(pk=first.pk).revoked_at

    office.post(
        LIST_URL,
        {"action": "revoke", "_selected_action": [k.pk for k in ApiKey.objects.all()]},
    )

    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 0
    assert ApiKey.objects.get(pk=first.pk).revoked_at == first_time


def test_keys_cannot_be_deleted_in_the_admin(office, member):
    raw_api_key(member)
    api_key = ApiKey.objects.get(user=member)

    response = office.post(
        reverse("admin:accounts_apikey_delete", args=[api_key.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert ApiKey.objects.filter(pk=api_key.pk).exists()


def test_key_changes_are_recorded_in_history_with_who_made_them(office, member):
    office.post(ADD_URL, {"user": member.pk, "label": "first"})
    api_key = ApiKey.objects.get(user=member)
    office.post(_change_url(api_key), {"label": "renamed"})
    office.post(_change_url(api_key), {"label": "renamed", "_revoke": "Revoke"})

    records = list(api_key.history.order_by("history_date", "history_id"))

    assert [(r.history_type, r.label, r.revoked_at is not None) for r in records] == [
        ("+", "first", False),
        ("~", "renamed", False),
        ("~", "renamed", True),
    ]
    assert {r.history_user.username for r in records} == {"office"}
    history_page = office.get(reverse("admin:accounts_apikey_history", args=[api_key.pk]))
    assert history_page.status_code == HTTPStatus.OK


def test_restoring_an_old_version_from_history_cannot_unrevoke_a_key(office, member):
    office.post(ADD_URL, {"user": member.pk, "label": "first"})
    api_key = ApiKey.objects.get(user=member)
    before_revocation = api_key.history.get()
    office.post(_change_url(api_key), {"label": "first", "_revoke": "Revoke"})
    url = reverse(
        "admin:accounts_apikey_simple_history", args=[api_key.pk, before_revocation.history_id]
    )

    assert office.get(url).status_code == HTTPStatus.OK  # viewable
    response = office.post(url, {"label": "first"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
