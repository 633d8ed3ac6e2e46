"""The landing page, the admin's "View site", offline API docs, and the language split."""

from http import HTTPStatus

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import AdminFactory


def test_landing_page_links_admin_docs_and_health(client, db):  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    for url in (reverse("admin:index"), reverse("api-docs"), reverse("api-redoc"), "/healthz"):
        assert f'href="{url}"'.encode() in response.content
        assert client.get(url).status_code != HTTPStatus.NOT_FOUND


def test_view_site_leads_to_the_landing_page(client, db):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.context["site_url"] == "/"
    assert b'href="/"' in response.content


@pytest.mark.parametrize("page", ["api-docs", "api-redoc"])
def test_api_docs_load_their_assets_from_this_server(client, db, page):  # type: ignore[no-untyped-def]
    response = client.get(reverse(page))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn.", "unpkg", "jsdelivr"):
        assert cdn not in html


@override_settings(LANGUAGE_CODE="de")
def test_back_office_speaks_german_when_configured(client, db):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    html = response.content.decode()
    assert "Heute auf einen Blick" in html
    assert "MOCO-Anwesenheiten" in html
    assert "ProSonata-Arbeitszeiten" in html
    assert "Abmelden" in html  # Django's own admin strings, from its German catalogue
    for model_name in ("Anwesenheiten", "Zeiteinträge", "Abwesenheiten", "Arbeitszeiten"):
        assert model_name in html


@override_settings(LANGUAGE_CODE="de")
@pytest.mark.parametrize(
    ("dialect", "path"),
    [
        ("moco", "/api/v1/users/presences/not-a-number"),
        ("prosonata", "/api/v1/workingtimes?page=x"),
    ],
)
def test_vendor_apis_stay_english_when_the_back_office_is_german(  # type: ignore[no-untyped-def]
    api_client, member, dialect, path
):
    response = api_client(member, dialect).get(path)
    assert response.status_code >= HTTPStatus.BAD_REQUEST
    body = response.content.decode()
    assert "nicht" not in body
    assert "Ungültig" not in body


def test_unauthenticated_api_error_is_english_under_german(client, db):  # type: ignore[no-untyped-def]
    with override_settings(LANGUAGE_CODE="de"):
        response = client.get("/api/v1/users/presences")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["message"].isascii()
    assert "Anmeldedaten" not in response.json()["message"]


@override_settings(LANGUAGE_CODE="de")
def test_record_forms_speak_german_field_labels(client, db):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:presences_presence_add")).content.decode()
    for label in ("Benutzer", "Datum", "Von", "Bis", "Homeoffice", "Grund der Änderung"):
        assert f">{label}" in html, label
    html = client.get(reverse("admin:workingtimes_workingtime_add")).content.decode()
    for label in ("Arbeitstag", "Arbeitsbeginn", "Pause 1 Beginn", "Tagesart"):
        assert f">{label}" in html, label
    html = client.get(reverse("admin:clock_timeentry_changelist")).content.decode()
    for label in ("Freigabestatus", "Noch nicht freigegeben", "Zeitart", "Arbeit"):
        assert label in html, label


@pytest.mark.parametrize("object_id", ["%C2%B2", "%D9%A3", "99999999999999999999"])
def test_findings_page_of_an_id_that_is_not_one_is_not_an_error(client, db, object_id):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/compliance/userfindings/{object_id}/change/")
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/apikey/abc/history/",
        "/admin/accounts/apikey/1/history/abc/",
        "/admin/closing/closedperiod/abc/history/",
    ],
)
def test_history_pages_of_malformed_ids_are_not_found(client, db, url):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
