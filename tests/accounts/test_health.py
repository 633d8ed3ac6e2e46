"""`/healthz` for load balancers: 200 while the database answers, 503 when it does not."""

from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz"])
def test_healthz_is_200_without_credentials_while_the_database_answers(path):
    response = APIClient().get(path)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": connection.vendor}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_cannot_be_reached():
    # A real failed connection (to a database that does not exist), not a mock: close the
    # test connection, point it elsewhere, and restore it afterwards.
    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "tb_healthz_no_such_database"
    try:
        response = APIClient().get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real_name

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == "application/json"
    # The driver's message (hosts, database and user names) stays in the log.
    assert response.json() == {"status": "unavailable", "database": "postgresql"}
    # And the next request finds the database again.
    assert APIClient().get("/healthz").status_code == HTTPStatus.OK
