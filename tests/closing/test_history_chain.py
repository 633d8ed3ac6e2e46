# ruff: noqa: S608 - table names come from the models; the point is SQL past the app
"""Tamper evidence: every direct database edit of records or their history is detected."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from clock.models import TimeEntry, TimeEntryBreak
from closing.models import ChainHead
from closing.verify import verify
from config.chain import GENESIS
from ooo.models import OutOfOffice
from presences import services as presence_services
from presences.models import Presence
from tests.factories import (
    OutOfOfficeFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
    WorkingTimeFactory,
)
from workingtimes.models import WorkingTime


def sql(statement: str, params: list | None = None) -> None:
    """A write that bypasses the application entirely."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def table(model) -> str:  # type: ignore[no-untyped-def]
    return connection.ops.quote_name(model._meta.db_table)


def history_table(model) -> str:  # type: ignore[no-untyped-def]
    return table(model.history.model)


@pytest.fixture
def records(member):  # type: ignore[no-untyped-def]
    """A bit of everything for `member`, written the application's way (with history)."""
    presence = presence_services.create_presence(
        user=member, date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=dt.time(12)
    )
    presence_services.update_presence(presence=presence, to_time=dt.time(13))
    presence_services.create_presence(
        user=member, date=dt.date(2026, 3, 3), from_time=dt.time(9), to_time=dt.time(17)
    )
    entry = TimeEntryFactory(user=member)
    TimeEntryBreakFactory(entry=entry)
    WorkingTimeFactory(user=member)
    OutOfOfficeFactory(user=member, message="away")
    return {"presence": presence, "entry": entry}


def test_history_written_by_the_application_verifies(records, member, other_member):
    assert verify() == []
    assert verify(member.pk) == []
    out = StringIO()
    call_command("verify_history", "--user", str(member.pk), stdout=out)
    assert "intact" in out.getvalue()


def test_every_history_row_is_chained_per_user(records, member):
    models = [Presence, TimeEntry, TimeEntryBreak, WorkingTime, OutOfOffice]
    rows = [r for m in models for r in m.history.filter(chain_user_id=member.pk)]
    rows += list(type(member).history.filter(id=member.pk))
    positions = sorted(r.chain_seq for r in rows)
    assert positions == list(range(1, len(rows) + 1))
    head = ChainHead.objects.get(user_id=member.pk)
    assert head.seq == len(rows)
    assert head.hash != GENESIS


def _first_presence_history_id(presence) -> int:  # type: ignore[no-untyped-def]
    return presence.history.order_by("history_id").first().history_id


TAMPERING = {
    "changed field of a record": lambda r: sql(
        f"UPDATE {table(Presence)} SET to_time = %s WHERE id = %s", ["14:00", r["presence"].pk]
    ),
    "changed field of a history row": lambda r: sql(
        f"UPDATE {history_table(Presence)} SET from_time = %s WHERE history_id = %s",
        ["07:00", _first_presence_history_id(r["presence"])],
    ),
    "deleted record": lambda r: sql(
        f"DELETE FROM {table(TimeEntryBreak)} WHERE entry_id = %s",
        [r["entry"].pk.hex] if connection.vendor == "sqlite" else [r["entry"].pk],
    ),
    "deleted history row (middle)": lambda r: sql(
        f"DELETE FROM {history_table(Presence)} WHERE history_id = %s",
        [_first_presence_history_id(r["presence"])],
    ),
    "deleted history row (last)": lambda r: sql(
        f"DELETE FROM {history_table(OutOfOffice)} WHERE history_id = "
        f"(SELECT MAX(history_id) FROM {history_table(OutOfOffice)})"
    ),
    "reordered history rows": lambda r: sql(
        f"UPDATE {history_table(Presence)} SET chain_seq = CASE "
        "WHEN chain_seq = (SELECT MIN(chain_seq) FROM "
        f"{history_table(Presence)}) THEN (SELECT MAX(chain_seq) FROM {history_table(Presence)}) "
        f"ELSE (SELECT MIN(chain_seq) FROM {history_table(Presence)}) END "
        f"WHERE chain_seq IN ((SELECT MIN(chain_seq) FROM {history_table(Presence)}), "
        f"(SELECT MAX(chain_seq) FROM {history_table(Presence)}))"
    ),
    "reordered history dates": lambda r: sql(
        f"UPDATE {history_table(Presence)} SET history_date = %s WHERE history_id = %s",
        [
            dt.datetime(2020, 1, 1, tzinfo=dt.UTC).isoformat(),
            _first_presence_history_id(r["presence"]),
        ],
    ),
    "record inserted without history": lambda r: sql(
        f"INSERT INTO {table(Presence)} (user_id, date, from_time, to_time, is_home_office, "
        "opened_by_touch, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, false, %s, %s)",
        [
            r["presence"].user_id,
            "2026-03-09",
            "08:00",
            "09:00",
            False,
            "2026-03-09 08:00:00+00:00",
            "2026-03-09 08:00:00+00:00",
        ],
    ),
    "changed user field": lambda r: sql(
        f"UPDATE {table(type(r['presence'].user))} SET role = 'admin' WHERE id = %s",
        [r["presence"].user_id],
    ),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_direct_database_edit_is_detected(records, member, tamper):
    assert verify(member.pk) == []
    tamper(records)
    problems = verify(member.pk)
    assert len(problems) == 1
    assert problems[0].startswith(f"user {member.pk}:")
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_history", "--user", str(member.pk), stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue().startswith(f"BROKEN user {member.pk}:")


def test_an_edit_of_one_user_does_not_break_another_users_chain(records, member):
    other = UserFactory()
    WorkingTimeFactory(user=other)
    TAMPERING["changed field of a record"](records)
    assert verify(other.pk) == []
    assert [p.split(":")[0] for p in verify()] == [f"user {member.pk}"]


def test_verify_names_the_changed_field(records, member):
    TAMPERING["changed field of a record"](records)
    assert verify(member.pk) == [
        f"user {member.pk}: presences.Presence {records['presence'].pk} differs from its "
        "history in to_time (changed outside the application)"
    ]


def test_history_row_inserted_outside_the_application_is_detected(records, member):
    history_model = WorkingTime.history.model
    row = WorkingTime.history.filter(user_id=member.pk).values().first()
    row.pop("history_id")
    row.update(chain_hash="", chain_seq=None, chain_user_id=None, chain_prev="")
    # The plain manager: a bare INSERT, as any tool outside the application would do it.
    history_model._base_manager.bulk_create([history_model(**row)])
    assert any("in no chain" in p for p in verify())


def test_deleting_the_user_who_made_a_change_keeps_the_chain_intact(member):
    actor = UserFactory(username="former-admin", role="admin")
    presence_services.create_presence(
        user=member, date=dt.date(2026, 3, 2), from_time=dt.time(8), actor=actor
    )
    actor_id = actor.pk
    actor.delete()  # the database sets history_user to NULL on the member's history row
    row = Presence.history.get(user_id=member.pk)
    assert (row.history_user_id, row.chain_actor_id) == (None, actor_id)
    assert verify() == []


def test_a_changed_actor_of_a_history_row_is_detected(records, member, other_member):
    sql(
        f"UPDATE {history_table(Presence)} SET history_user_id = %s WHERE history_id = %s",
        [other_member.pk, _first_presence_history_id(records["presence"])],
    )
    assert verify(member.pk)[0].endswith("was changed (actor)")
