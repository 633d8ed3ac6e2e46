"""`ClosedSpans` (imports check a whole batch with one read) answers every span exactly as
`ensure_span_open` (one write's check) does: the same refusal, naming the same period."""

import datetime as dt

import pytest

from closing.services import ClosedSpans, create_closure, ensure_span_open, reopen_closure
from config.api.errors import PeriodClosed
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


def _answer(check, user_id: int, first, last) -> str | None:  # type: ignore[no-untyped-def]
    try:
        check(user_id=user_id, first=first, last=last)
    except PeriodClosed as exc:
        return exc.message
    return None


# (first, last, the closed period the refusal names: None when the span is open)
SPANS = [
    (D(2026, 2, 20), D(2026, 2, 28), None),  # before every period
    (D(2026, 2, 25), D(2026, 3, 2), "2026-03-01 to 2026-03-31"),  # into March
    (D(2026, 3, 31), D(2026, 3, 31), "2026-03-01 to 2026-03-31"),  # the last closed day
    (D(2026, 4, 1), D(2026, 4, 30), None),  # April: reopened
    (D(2026, 4, 15), D(2026, 6, 1), "2026-05-01 to 2026-05-31"),  # into May
    (D(2026, 6, 1), None, None),  # open-ended, after everything
    (None, D(2026, 2, 1), None),  # unbounded start, before everything
    (None, None, "2026-03-01 to 2026-03-31"),  # everything: the first period
    (D(2026, 4, 2), None, "2026-05-01 to 2026-05-31"),
]


@pytest.mark.parametrize(("first", "last", "period"), SPANS)
def test_a_batch_check_refuses_exactly_what_a_write_check_refuses(first, last, period):
    user, other = UserFactory(), UserFactory()
    for month_start, month_end in (
        (D(2026, 3, 1), D(2026, 3, 31)),
        (D(2026, 5, 1), D(2026, 5, 31)),
    ):
        create_closure(
            actor=None,
            from_date=month_start,
            to_date=month_end,
            reason="payroll",
            user_ids=[user.pk],
        )
    april = create_closure(
        actor=None,
        from_date=D(2026, 4, 1),
        to_date=D(2026, 4, 30),
        reason="payroll",
        user_ids=[user.pk, other.pk],
    )
    reopen_closure(closure_id=april.pk, actor=AdminFactory(), reason="late entries")

    batch = ClosedSpans([user.pk, other.pk])

    expected = _answer(ensure_span_open, user.pk, first, last)
    assert _answer(batch.ensure_open, user.pk, first, last) == expected
    if period is None:
        assert expected is None
    else:
        assert f"closed period ({period}" in expected
    assert _answer(batch.ensure_open, other.pk, first, last) is None
    assert _answer(ensure_span_open, other.pk, first, last) is None
