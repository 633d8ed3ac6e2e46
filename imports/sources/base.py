"""What an import source is: how to read its pages, and how to write its records.

A source adapter knows one API's wire shape (the same shape Timebridge serves, so a
Timebridge server is a valid source) and one target model. The runner (imports.runner)
does everything else: user mapping, the ledger of imported ids, batches, transactions,
dry runs, counts and reporting.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.db.models import Model

from accounts.models import User
from imports.client import SourceClient


class RecordRejected(Exception):
    """This record cannot be imported; the message says why (shown with its source id)."""


@dataclass(frozen=True)
class UserRef:
    """A source's user as far as the record tells: its id, and what helps to match it."""

    external_id: str
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    def describe(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip() or self.username or self.email
        return f"user {self.external_id}" + (f" ({name})" if name else "")


@dataclass
class SourceRecord:
    source_id: str
    user: UserRef
    data: dict[str, Any]


@dataclass
class Prepared:
    """A record ready to write: validated model field values for its Timebridge user."""

    record: SourceRecord
    user: User
    values: dict[str, Any]
    checksum: str = ""
    object_id: str | None = None  # the existing row, for updates
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. breaks of a time entry

    def __post_init__(self) -> None:
        if not self.checksum:
            self.checksum = checksum({"user": self.user.pk, **self.values, **self.extra})


def checksum(values: dict[str, Any]) -> str:
    """A stable digest of imported values (dates, times, decimals, strings, numbers, tuples).

    The reprs of these types are stable; joined with separators that no repr contains
    unescaped, in the dict's (fixed, code-given) order, they cost a third of a sorted repr.
    """
    encoded = "\x1e".join(values) + "\x1d" + "\x1f".join(map(repr, values.values()))
    return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()


class BatchRejected(Exception):
    """Some records of a batch break an invariant: the whole batch is written not at all.

    `reasons` maps source ids to why; a reason under the key "" concerns the batch as such.
    """

    def __init__(self, reasons: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in reasons.items()))
        self.reasons = reasons


class Source(ABC):
    name: ClassVar[str]  # imports.models.Source value, also the auth dialect of the client
    label: ClassVar[str]
    model: ClassVar[type[Model]]

    # --- reading ---------------------------------------------------------------------------
    @abstractmethod
    def items(self, payload: Any) -> list[dict[str, Any]]:
        """The records in one page or file, in exactly the shape the list endpoint returns."""

    @abstractmethod
    def source_record(self, item: dict[str, Any]) -> SourceRecord:
        """Source id and user of one item; RecordRejected if it has neither."""

    @abstractmethod
    def api_pages(
        self, client: SourceClient, *, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[str, Any]]:
        """(label, payload) for every page of the live API, paging the way the source does."""

    def fetch_user_details(self, client: SourceClient | None, ref: UserRef) -> UserRef:
        """Fill in names/email of a user the records only identify by id (default: as is)."""
        return ref

    def batch_rolled_back(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """A batch was not written: forget anything cached that it created."""

    # --- writing ---------------------------------------------------------------------------
    @abstractmethod
    def prepare(self, record: SourceRecord, user: User) -> Prepared:
        """Validate one record as the API would and return the values to write."""

    @abstractmethod
    def write(self, *, creates: list[Prepared], updates: list[Prepared]) -> dict[str, str]:
        """Write one batch with bulk operations, inside the runner's transaction.

        Check the batch against existing data (overlaps, one record per day, …) first and
        raise BatchRejected naming the offending source ids. Returns {source_id: object id}
        for every created and updated record.
        """


def serializer_errors(errors: Any, prefix: str = "") -> str:
    """A DRF serializer's errors as one line: `to: Time has wrong format…; date: …`."""
    if isinstance(errors, dict):
        return "; ".join(
            serializer_errors(value, f"{prefix}.{key}" if prefix else str(key))
            for key, value in errors.items()
        )
    if isinstance(errors, list):
        return "; ".join(serializer_errors(value, prefix) for value in errors)
    return f"{prefix}: {errors}" if prefix else str(errors)


def required(item: dict[str, Any], key: str) -> Any:
    value = item.get(key) if isinstance(item, dict) else None
    if value in (None, ""):
        raise RecordRejected(f"{key}: missing")
    return value


def lock_users(user_ids: set[int]) -> None:
    """Lock the batch's users, in id order, as every API write locks its user first.

    A concurrent API write for one of them waits until the batch commits (and vice versa),
    so the batch's checks against the database hold when it writes; the id order keeps two
    imports from deadlocking each other.
    """
    list(
        User.objects.select_for_update()
        .filter(pk__any=sorted(user_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def lock_rows_to_update(model: type[Model], updates: list[Prepared], noun: str) -> dict[Any, Any]:
    """The rows `updates` replace, locked; BatchRejected if any was deleted meanwhile.

    The runner saw each row when it read the ledger; a DELETE through the API or the admin
    may have removed it since. Updating nothing (or re-creating it behind the deleter's
    back) would be wrong either way: the batch fails and says which record and why.
    """
    pk_of = model._meta.pk.to_python  # the ledger keeps ids as text (integers, UUIDs)
    rows = model._default_manager.select_for_update().in_bulk(
        sorted(pk_of(p.object_id) for p in updates)
    )
    gone = {
        p.record.source_id: (
            f"{noun} {p.object_id}, which this record was imported as, was deleted while the "
            "batch was being imported; run the import again to re-create it"
        )
        for p in updates
        if pk_of(p.object_id) not in rows
    }
    if gone:
        raise BatchRejected(gone)
    return rows
