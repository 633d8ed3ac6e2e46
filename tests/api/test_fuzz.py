"""Schema-driven fuzzing: schemathesis generates requests for every operation of the
project's own `/api/schema/` and checks each answer against it.

Each operation is called the way its own API's clients authenticate, as an administrator
(who may see and change everything, so the fewest requests end in a 404). Checks: no 5xx,
the body conforms to the documented schema, the status is documented, and the Content-Type
is the documented one. Bounded for CI: a fixed number of examples per operation, derandomized
so a run is reproducible (docs/robustness.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api.handlers import dialect_for_path
from tests.conftest import AUTH_HEADERS
from tests.factories import (
    AdminFactory,
    OrganizationFactory,
    OutOfOfficeFactory,
    PresenceFactory,
    TeamFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
    WorkingTimeFactory,
    WorkspaceFactory,
    raw_api_key,
)

# CI's budget; FUZZ_EXAMPLES=500 FUZZ_COVERAGE=1 FUZZ_RANDOM=1 digs deeper locally.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# The coverage phase (every boundary of every parameter) alone takes minutes per operation.
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_COVERAGE") == "1"


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app, so Django would close the database connection
    after each one (and with it the test's transaction); its own test client prevents that
    the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_key(db, _keep_test_connection) -> str:  # type: ignore[no-untyped-def]
    """An administrator's key, and a little of everything for the operations to find."""
    admin = AdminFactory(username="fuzz-admin")
    member = UserFactory(username="fuzz-member")
    TeamFactory(members=[admin, member])
    WorkspaceFactory(members=[admin, member])
    OrganizationFactory()
    start = datetime(2026, 5, 4, 6, tzinfo=UTC)
    for user in (admin, member):
        PresenceFactory(user=user)
        OutOfOfficeFactory(user=user, start_date=start, end_date=start + timedelta(days=2))
        entry = TimeEntryFactory(user=user, starts_at=start, ends_at=start + timedelta(hours=8))
        TimeEntryBreakFactory(entry=entry, starts_at=start + timedelta(hours=4))
        WorkingTimeFactory(
            user=user,
            working_date=date(2026, 5, 4),
            daily_time_start=time(8),
            daily_time_end=time(16),
            daily_time_total=Decimal("7.50"),
        )
    return raw_api_key(admin)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_every_operation_keeps_its_schema_promises(case, fuzz_key):
    dialect = dialect_for_path(case.path)
    assert dialect is not None
    headers = {
        # AUTH_HEADERS speaks WSGI environ names (HTTP_API_KEY); the request needs headers.
        name.removeprefix("HTTP_").replace("_", "-") if name != "HTTP_API_KEY" else "API_KEY": v
        for name, v in AUTH_HEADERS[dialect.name](fuzz_key).items()
    }
    case.call_and_validate(headers=headers, checks=CHECKS)
