"""Helpers shared by the hostile-input and fuzzing tests of every API."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from clock.models import Clock, ClockBreak, TimeEntry, TimeEntryBreak
from ooo.models import OutOfOffice
from presences.models import Presence
from workingtimes.models import WorkingTime

RECORD_MODELS = (Presence, OutOfOffice, Clock, ClockBreak, TimeEntry, TimeEntryBreak, WorkingTime)


def db_state() -> dict[str, Any]:
    """Every time record of every app, and the size of each history: equal before and after
    a request means the request changed nothing."""
    state: dict[str, Any] = {}
    for model in RECORD_MODELS:
        state[model.__name__] = list(model.objects.order_by("pk").values())
        if hasattr(model, "history"):
            state[f"{model.__name__}.history"] = model.history.count()
    return state


def assert_dialect_error(response: Any, dialect: str, status: int | None = None) -> None:
    """A 4xx in `dialect`'s own error format (and the given status, when named)."""
    assert HTTPStatus.BAD_REQUEST <= response.status_code < 500, (
        response.status_code,
        response.content[:300],
    )
    if status is not None:
        assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    if dialect == "moco":
        assert set(body) == {"message"}
        assert isinstance(body["message"], str)
    elif dialect == "huddle":
        assert set(body) == {"statusCode", "errorCode", "errorMessages"}
        assert body["statusCode"] == response.status_code
    elif dialect == "mctime":
        assert set(body) == {"items", "valid"}
        assert body["valid"] is False
        assert set(body["items"][0]) == {"message", "data"}
    elif dialect == "prosonata":
        assert body["data"] == []
        assert body["meta"]["status"] == response.status_code
        assert isinstance(body["meta"]["message"], str)
    else:  # pragma: no cover - a typo in a test
        raise AssertionError(dialect)
