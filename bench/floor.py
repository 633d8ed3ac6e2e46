"""Floors for bench/api_bench.py: what the cheapest Python request doing a touch's (or a
list page's) database work costs on this machine, served by the same gunicorn processes.

Two layers, each running the very statements a MOCO touch (or a MOCO list of 100) sends,
as literal SQL (no ORM, no serializer, no simple-history):

- `/bench-floor/django/…`: a plain Django view (Django's request handling and middleware,
  JSON in and out); the user id comes in the body or query string, no key is checked;
- `/bench-floor/api/…`: the same SQL inside a MOCO API view (DRF's request handling, the
  API-key authentication with its key memory, throttling, DRF's JSON rendering).

The touch floor's transaction is a touch's (docs/performance.md): lock the user's row,
look for a closed period, read the day's presences, insert a presence, lock and update the
history chain's head, insert the history row with its hash, commit. Only for benchmarks:
`floor_settings` mounts these views in front of the project's URLs; production never does.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import MocoView

# Writes go to days far from anything else (a random start per process, then one day per
# request), so they rarely meet an existing presence of the same user and day; when two
# processes do meet, `ON CONFLICT DO NOTHING` skips the insert (and its history row).
_EPOCH = date(2100, 1, 1)
_DAYS = itertools.count(random.randrange(300_000))  # not a secret: spreads days
_DAYS_LOCK = threading.Lock()

LOCK_USER = "SELECT * FROM accounts_user WHERE id = %s FOR UPDATE"
CLOSED = (
    "SELECT id FROM closing_closedperiod WHERE reopened_at IS NULL AND user_id = %s "
    "AND from_date <= %s AND to_date >= %s"
)
DAY = (
    "SELECT id, user_id, date, from_time, to_time, is_home_office, opened_by_touch, "
    "created_at, updated_at FROM presences_presence WHERE date = %s AND user_id = %s "
    "ORDER BY date, from_time, id"
)
INSERT = (
    "INSERT INTO presences_presence (user_id, date, from_time, to_time, is_home_office, "
    "opened_by_touch, created_at, updated_at) VALUES (%s, %s, %s, %s, false, true, %s, %s) "
    "ON CONFLICT DO NOTHING RETURNING id"
)
HEAD = "SELECT seq, hash FROM closing_chainhead WHERE user_id IN (%s) FOR UPDATE"
MOVE_HEAD = "UPDATE closing_chainhead SET seq = %s, hash = %s WHERE user_id = %s"
HISTORY = (
    "INSERT INTO presences_historicalpresence (id, chain_user_id, chain_seq, chain_prev, "
    "chain_hash, chain_actor_id, date, from_time, to_time, is_home_office, opened_by_touch, "
    "created_at, updated_at, user_id, history_date, history_change_reason, history_type, "
    "history_user_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, false, true, %s, %s, %s, "
    "%s, NULL, '+', %s)"
)
COUNT = "SELECT COUNT(*) FROM presences_presence WHERE user_id = %s"
PAGE = (
    "SELECT p.id, p.date, p.from_time, p.to_time, p.is_home_office, p.created_at, "
    "p.updated_at, u.id, u.first_name, u.last_name FROM presences_presence p "
    "JOIN accounts_user u ON u.id = p.user_id WHERE p.user_id = %s "
    "ORDER BY p.date, p.from_time, p.id LIMIT 100"
)


def _next_day() -> date:
    with _DAYS_LOCK:
        return _EPOCH + timedelta(days=next(_DAYS) % 300_000)


def touch_sql(user_id: int) -> int | None:
    """A touch's transaction as literal SQL; the new presence's id (None if skipped)."""
    now = datetime.now(UTC)
    day = _next_day()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK_USER, [user_id])
        cursor.fetchall()
        cursor.execute(CLOSED, [user_id, day, day])
        cursor.fetchall()
        cursor.execute(DAY, [day, user_id])
        cursor.fetchall()
        cursor.execute(INSERT, [user_id, day, time(8), time(9), now, now])
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(HEAD, [user_id])
        seq, previous = cursor.fetchone()
        fields = [row[0], str(day), "08:00", "09:00", now.isoformat(), user_id]
        digest = hashlib.sha256(f"{previous}{json.dumps(fields)}".encode()).hexdigest()
        cursor.execute(MOVE_HEAD, [seq + 1, digest, user_id])
        history = [row[0], user_id, seq + 1, previous, digest, user_id, day, time(8), time(9)]
        cursor.execute(HISTORY, [*history, now, now, user_id, now, user_id])
        return row[0]


def list_sql(user_id: int) -> tuple[int, list[dict[str, Any]]]:
    """A MOCO list page of 100 as literal SQL: its COUNT and the page, as wire dicts."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT, [user_id])
        (total,) = cursor.fetchone()
        cursor.execute(PAGE, [user_id])
        rows = cursor.fetchall()
    return total, [
        {
            "id": pk,
            "date": day.isoformat(),
            "from": start.strftime("%H:%M"),
            "to": end.strftime("%H:%M") if end else None,
            "is_home_office": home,
            "user": {"id": uid, "firstname": first, "lastname": last},
            "created_at": created.isoformat(),
            "updated_at": updated.isoformat(),
        }
        for pk, day, start, end, home, created, updated, uid, first, last in rows
    ]


@csrf_exempt
def django_touch(request: HttpRequest) -> JsonResponse:
    presence = touch_sql(int(json.loads(request.body)["user"]))
    return JsonResponse({"id": presence})


def django_list(request: HttpRequest) -> JsonResponse:
    total, page = list_sql(int(request.GET["user"]))
    return JsonResponse(page, safe=False, headers={"X-Total": str(total)})


class ApiTouch(MocoView, APIView):
    field_names: ClassVar[dict[str, str]] = {}

    def post(self, request: Request) -> Response:
        return Response({"id": touch_sql(request.user.pk)})


class ApiList(MocoView, APIView):
    field_names: ClassVar[dict[str, str]] = {}

    def get(self, request: Request) -> Response:
        total, page = list_sql(request.user.pk)
        return Response(page, headers={"X-Total": str(total)})


urlpatterns = [
    path("bench-floor/django/touch", django_touch),
    path("bench-floor/django/list", django_list),
    path("bench-floor/api/touch", ApiTouch.as_view()),
    path("bench-floor/api/list", ApiList.as_view()),
    path("", include("config.urls")),
]
