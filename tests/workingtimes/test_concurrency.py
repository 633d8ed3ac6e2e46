"""Simultaneous POSTs for one user and day leave exactly one record (PostgreSQL row locks)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import UserFactory, WorkingTimeFactory, raw_api_key
from tests.workingtimes.conftest import LIST_URL, SPEC_EXAMPLE
from workingtimes.models import WorkingTime

THREADS = 16


def _post_all(bodies_and_keys: list[tuple[dict, str]]) -> list[int]:
    barrier = threading.Barrier(len(bodies_and_keys))

    def post(body: dict, key: str) -> int:
        try:
            client = APIClient()
            client.credentials(HTTP_X_API_KEY=key)
            barrier.wait(timeout=30)
            return client.post(LIST_URL, body, format="json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies_and_keys)) as pool:
        futures = [pool.submit(post, body, key) for body, key in bodies_and_keys]
        return [future.result(timeout=120) for future in futures]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_for_one_user_and_day_leave_one_record():
    user = UserFactory(username="racer")
    WorkingTimeFactory(user=user, working_date=SPEC_EXAMPLE["workingDate"])  # to be replaced
    keys = [raw_api_key(user) for _ in range(THREADS)]  # before the threads start
    bodies = [
        {**SPEC_EXAMPLE, "userID": user.pk, "comments": f"request {n}"} for n in range(THREADS)
    ]

    statuses = _post_all(list(zip(bodies, keys, strict=True)))

    assert statuses == [HTTPStatus.CREATED] * THREADS
    survivor = WorkingTime.objects.get(user=user)
    assert survivor.comments.startswith("request ")
    # Every request created a record and all but the last were replaced: the history has
    # them all, nothing was lost silently.
    assert WorkingTime.history.filter(history_type="+").count() == THREADS + 1
    assert WorkingTime.history.filter(history_type="-").count() == THREADS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_of_different_users_do_not_block_each_other():
    users = [UserFactory() for _ in range(THREADS)]
    keys = [raw_api_key(user) for user in users]
    bodies = [{**SPEC_EXAMPLE, "userID": user.pk} for user in users]

    statuses = _post_all(list(zip(bodies, keys, strict=True)))

    assert statuses == [HTTPStatus.CREATED] * THREADS
    assert WorkingTime.objects.count() == THREADS
