"""Import from the back office: upload, dry-run preview, confirm — the import_data runner."""

import datetime as dt
import json
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backoffice.models import StagedImport
from imports.models import ImportedRecord
from presences.models import Presence
from tests.factories import AdminFactory, UserFactory

UPLOAD = reverse("admin:backoffice_import")


def moco_presence(pid: int, date: str, start: str, end: str | None) -> dict:  # type: ignore[type-arg]
    return {
        "id": pid,
        "date": date,
        "from": start,
        "to": end,
        "is_home_office": False,
        "user": {"id": 4711, "firstname": "Anna", "lastname": "Schmidt"},
        "created_at": "2026-03-02T09:00:00Z",
        "updated_at": "2026-03-02T09:00:00Z",
    }


def export_file(records, name: str = "presences.json") -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, json.dumps(records).encode(), "application/json")


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def anna(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="anna", first_name="Anna", last_name="Schmidt")


def upload(client, records, **extra):  # type: ignore[no-untyped-def]
    data = {"source": "moco", "file": export_file(records), **extra}
    return client.post(UPLOAD, data, follow=True)


def test_upload_shows_a_dry_run_and_writes_nothing(staff, anna):  # type: ignore[no-untyped-def]
    records = [
        moco_presence(1, "2026-03-02", "08:00", "12:00"),
        moco_presence(2, "2026-03-02", "12:30", "16:30"),
    ]
    response = upload(staff, records)

    assert response.status_code == HTTPStatus.OK
    counts = response.context["counts"]
    assert (counts.created, counts.updated, counts.failed) == (2, 0, 0)
    assert response.context["confirmable"] is True
    assert Presence.objects.count() == 0
    assert ImportedRecord.objects.count() == 0


def test_confirm_imports_what_the_preview_showed(staff, anna):  # type: ignore[no-untyped-def]
    records = [moco_presence(1, "2026-03-02", "08:00", "12:00")]
    preview = upload(staff, records)
    staged = preview.context["staged"]

    response = staff.post(reverse("admin:backoffice_import_preview", args=[staged.pk]))

    assert response.status_code == HTTPStatus.OK
    assert response.context["counts"].created == 1
    presence = Presence.objects.get()
    assert (presence.user, presence.date, presence.from_time, presence.to_time) == (
        anna,
        dt.date(2026, 3, 2),
        dt.time(8),
        dt.time(12),
    )
    assert not StagedImport.objects.exists()
    # Running it again finds nothing new: the import ledger, as with import_data.
    again = upload(staff, records)
    assert (again.context["counts"].created, again.context["counts"].unchanged) == (0, 1)


def test_preview_names_the_reason_a_record_fails(staff, anna):  # type: ignore[no-untyped-def]
    records = [
        moco_presence(1, "2026-03-02", "08:00", "12:00"),
        moco_presence(2, "2026-03-02", "14:00", "13:00"),
    ]
    response = upload(staff, records)

    counts = response.context["counts"]
    assert counts.failed == 1
    assert any("moco:2" in line for line in counts.problems)
    assert b"moco:2" in response.content


def test_unmatched_users_are_skipped_unless_created(staff, db):  # type: ignore[no-untyped-def]
    records = [moco_presence(1, "2026-03-02", "08:00", "12:00")]
    assert upload(staff, records).context["counts"].skipped == 1
    created = upload(staff, records, create_users="on")
    assert created.context["counts"].created == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", b"Not a JSON file"),
        (b"\xff\xfe", b"Not a JSON file"),
        (b"[" * 5000 + b"]" * 5000, b"nested more than"),
        (b'[{"id": 1, "comment": "a\\u0000b"}]', b"NUL characters"),
        (b"[1e999]", b"Not a JSON file"),
    ],
)
def test_a_file_that_is_not_json_is_a_form_error(staff, content, message):  # type: ignore[no-untyped-def]
    response = staff.post(UPLOAD, {"source": "moco", "file": SimpleUploadedFile("x.json", content)})
    assert response.status_code == HTTPStatus.OK
    assert message in response.content
    assert not StagedImport.objects.exists()


def test_import_needs_the_import_permission(client, db):  # type: ignore[no-untyped-def]
    clerk = UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(UPLOAD).status_code == HTTPStatus.FORBIDDEN


def test_someone_elses_staged_import_is_not_found(staff, anna, client):  # type: ignore[no-untyped-def]
    other = AdminFactory(username="other", is_staff=True, is_superuser=True)
    staged = StagedImport.objects.create(
        source="moco", file_name="x.json", payload=[], uploaded_by=other
    )
    url = reverse("admin:backoffice_import_preview", args=[staged.pk])
    assert staff.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_file_with_a_byte_order_mark_is_read(staff, anna):  # type: ignore[no-untyped-def]
    raw = json.dumps([moco_presence(1, "2026-03-02", "08:00", "12:00")]).encode()
    response = staff.post(
        UPLOAD,
        {"source": "moco", "file": SimpleUploadedFile("x.json", b"\xef\xbb\xbf" + raw)},
        follow=True,
    )
    assert response.context["counts"].created == 1
