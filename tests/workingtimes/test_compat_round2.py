"""ProSonata compatibility: the total check as a policy (warn / strict), non-work days sent
as 00:00:00-00:00:00, and NUL bytes in filters."""

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from tests.factories import UserFactory, WorkingTimeFactory
from tests.workingtimes.conftest import LIST_URL, SPEC_EXAMPLE, detail_url, snapshot
from workingtimes.models import WorkingTime

MISMATCH = "dailyTimeTotal: expected 7.75 (08:18-16:48 minus 45 min of breaks), got 8.50."


def _post(client, user, **changes):  # type: ignore[no-untyped-def]
    return client.post(LIST_URL, {**SPEC_EXAMPLE, "userID": user.pk, **changes}, format="json")


def test_warn_is_the_default_total_policy():
    from django.conf import settings

    assert settings.PROSONATA_TOTAL_CHECK == "warn"


@pytest.mark.usefixtures("warn_totals")
def test_wrong_total_is_stored_as_sent_and_the_mismatch_noted(member, prosonata):
    response = _post(prosonata(member), member, dailyTimeTotal=8.5)

    assert response.status_code == HTTPStatus.CREATED, response.json()
    assert response.json()["data"]["dailyTimeTotal"] == 8.5
    record = WorkingTime.objects.get()
    assert (record.daily_time_total, record.total_mismatch) == (Decimal("8.50"), MISMATCH)
    # The note is Timebridge's, not ProSonata's: the wire shape stays the spec's.
    assert "total_mismatch" not in response.json()["data"]
    assert "totalMismatch" not in response.json()["data"]


@pytest.mark.usefixtures("warn_totals")
def test_right_total_notes_no_mismatch(member, prosonata):
    assert _post(prosonata(member), member).status_code == HTTPStatus.CREATED

    assert WorkingTime.objects.get().total_mismatch == ""


@pytest.mark.usefixtures("strict_totals")
def test_wrong_total_is_refused_in_strict_mode(member, prosonata):
    before = snapshot()

    response = _post(prosonata(member), member, dailyTimeTotal=8.5)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"meta": {"status": 400, "message": MISMATCH}, "data": []}
    assert snapshot() == before


@pytest.mark.usefixtures("warn_totals")
def test_put_with_a_wrong_total_keeps_it_and_a_right_one_clears_the_note(member, prosonata):
    client = prosonata(member)
    pk = _post(client, member).json()["meta"]["insertID"]

    wrong = client.put(detail_url(pk), {"dailyTimeTotal": 8.5}, format="json")
    noted = WorkingTime.objects.get().total_mismatch
    right = client.put(detail_url(pk), {"dailyTimeTotal": 7.75}, format="json")

    assert (wrong.status_code, right.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    assert wrong.json()["data"]["dailyTimeTotal"] == 8.5
    assert noted == MISMATCH
    assert WorkingTime.objects.get().total_mismatch == ""


@pytest.mark.usefixtures("warn_totals")
def test_total_mismatch_is_shown_in_the_admin(member, prosonata, client):
    _post(prosonata(member), member, dailyTimeTotal=8.5)
    client.force_login(UserFactory(username="office", is_staff=True, is_superuser=True))

    page = client.get(f"/admin/workingtimes/workingtime/{WorkingTime.objects.get().pk}/change/")

    assert page.status_code == HTTPStatus.OK
    assert "Total mismatch" in page.text
    assert "expected 7.75 (08:18-16:48 minus 45 min of breaks), got 8.50." in page.text


def test_an_unknown_total_policy_stops_the_start():
    env = {**os.environ, "PROSONATA_TOTAL_CHECK": "lenient", "DJANGO_SETTINGS_MODULE": ""}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "PROSONATA_TOTAL_CHECK must be warn or strict" in result.stderr


# --- non-work days as 00:00:00-00:00:00 ---------------------------------------------------


@pytest.mark.parametrize("policy", ["warn_totals", "strict_totals"])
@pytest.mark.parametrize("day_type", [1, 2, 3, 4, 5, 6])
def test_non_work_day_from_midnight_to_midnight_with_credited_total_is_accepted(
    request, member, prosonata, policy, day_type
):
    request.getfixturevalue(policy)

    response = _post(
        prosonata(member),
        member,
        dayType=day_type,
        dailyTimeStart="00:00:00",
        dailyTimeEnd="00:00:00",
        dailyTimeTotal=8,
        break1Start=None,
        break1End=None,
    )

    assert response.status_code == HTTPStatus.CREATED, response.json()
    data = response.json()["data"]
    assert (data["dailyTimeStart"], data["dailyTimeEnd"], data["dailyTimeTotal"]) == (
        "00:00:00",
        "00:00:00",
        8,
    )
    assert WorkingTime.objects.get().total_mismatch == ""


@pytest.mark.parametrize("policy", ["warn_totals", "strict_totals"])
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"dayType": 0}, "dailyTimeEnd", id="work-day"),
        pytest.param(
            {"dayType": 1, "dailyTimeEnd": "00:00:00", "dailyTimeStart": "08:00:00"},
            "dailyTimeEnd",
            id="not-midnight",
        ),
        pytest.param(
            {"dayType": 1, "break1Start": "00:00:00", "break1End": "00:10:00"},
            "break1Start",
            id="with-break",
        ),
    ],
)
def test_other_empty_or_backward_days_are_still_refused(
    request, member, prosonata, policy, changes, field
):
    request.getfixturevalue(policy)
    body = {
        "dailyTimeStart": "00:00:00",
        "dailyTimeEnd": "00:00:00",
        "dailyTimeTotal": 0,
        "break1Start": None,
        "break1End": None,
        **changes,
    }

    response = _post(prosonata(member), member, **body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["meta"]["message"].startswith(f"{field}: ")
    assert not WorkingTime.objects.exists()


@pytest.mark.parametrize(("day_type", "allowed"), [(0, False), (1, True), (6, True)])
def test_database_allows_midnight_to_midnight_only_for_non_work_days(member, day_type, allowed):
    record = WorkingTimeFactory.build(
        user=member,
        day_type=day_type,
        daily_time_start=dt.time(0),
        daily_time_end=dt.time(0),
        break1_start=None,
        break1_end=None,
    )
    if allowed:
        record.save()
        assert WorkingTime.objects.filter(pk=record.pk).exists()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            record.save()


# --- NUL bytes in filters -------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "userID=1%00",
        "username=bob%00",
        "workingDate=2021-03-02%00",
        "dayType=0%00",
        "homeOffice=1%00",
        "orderBy=workingDate%00",
    ],
)
def test_nul_byte_in_a_filter_is_400_never_a_dropped_filter(admin, member, prosonata, query):
    WorkingTimeFactory(user=member)
    WorkingTimeFactory(user=admin)

    response = prosonata(admin).get(f"{LIST_URL}?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["data"] == []
    assert body["meta"]["status"] == 400
    assert body["meta"]["message"].startswith(query.split("=")[0] + ": ")
