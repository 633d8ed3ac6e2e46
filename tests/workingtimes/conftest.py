"""Shared pieces of the ProSonata working-time tests."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from workingtimes.models import WorkingTime

LIST_URL = "/api/v1/workingtimes"

# The spec's POST example (userID filled in per test).
SPEC_EXAMPLE: dict[str, Any] = {
    "workingDate": "2021-03-02",
    "dailyTimeStart": "08:18:00",
    "dailyTimeEnd": "16:48:00",
    "dailyTimeTotal": 7.75,
    "break1Start": "12:06:00",
    "break1End": "12:51:00",
    "comments": "eine Anmerkung",
}


def detail_url(pk: int) -> str:
    return reverse("prosonata-workingtime-detail", kwargs={"pk": pk})


def snapshot() -> tuple[list[dict[str, Any]], int]:
    """Every working time and the size of the history: equal before and after = unchanged."""
    rows = list(WorkingTime.objects.order_by("pk").values())
    return rows, WorkingTime.history.count()


@pytest.fixture
def prosonata(api_client) -> Callable[[User | None], APIClient]:  # type: ignore[no-untyped-def]
    """prosonata(user) -> a client sending a fresh key of `user` in `X-API-Key`."""

    def make(user: User | None) -> APIClient:
        return api_client(user, "prosonata")

    return make


@pytest.fixture
def strict_totals(settings):  # type: ignore[no-untyped-def]
    """PROSONATA_TOTAL_CHECK=strict: a work day's wrong total is refused with 400."""
    settings.PROSONATA_TOTAL_CHECK = "strict"


@pytest.fixture
def warn_totals(settings):  # type: ignore[no-untyped-def]
    """PROSONATA_TOTAL_CHECK=warn (the default): kept, and the mismatch noted."""
    settings.PROSONATA_TOTAL_CHECK = "warn"
