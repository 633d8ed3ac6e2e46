"""Repeated failed admin logins lock that username out from that address (django-axes)."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

LOGIN_URL = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db, settings):  # type: ignore[no-untyped-def]
    # A fast hasher: these tests log in a dozen times; the lockout does not depend on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="office", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client: Client, password: str, username: str = "office", address: str = "10.1.1.1"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_after_the_failure_limit_even_the_right_password_is_refused(staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong").status_code == HTTPStatus.OK  # the form again

    assert _login(client, "wrong").status_code == HTTPStatus.TOO_MANY_REQUESTS
    response = _login(client, PASSWORD)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_stop_the_right_password(staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")

    response = _login(client, PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_lockout_does_not_lock_the_user_out_from_another_address(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "wrong", address="10.6.6.6")

    response = _login(Client(), PASSWORD, address="10.1.1.1")

    assert response.status_code == HTTPStatus.FOUND
