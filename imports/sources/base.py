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
from imports.sources.writing import (
    apply_updates,
    insert_rows,
    lock_rows_to_update,
    save_updates,
)


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

    def named_by_id(self, source: str) -> UserRef:
        """All a record tells about a user known only by id: `--create-users` names such a
        user `<source>-<id>`."""
        return UserRef(external_id=self.external_id, username=f"{source}-{self.external_id}")


@dataclass
class SourceRecord:
    source_id: str
    user: UserRef
    data: dict[str, Any]
    # The values, when the record is in the list endpoint's own shape and a source parses
    # that shape as it reads (before the batch's turn); else None, and `prepare` decides.
    parsed: dict[str, Any] | None = None


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


class Source(ABC):
    name: ClassVar[str]  # imports.models.Source value, also the auth dialect of the client
    label: ClassVar[str]
    model: ClassVar[type[Model]]
    noun: ClassVar[str]  # what one row of `model` is called in messages
    fields: ClassVar[tuple[str, ...]]  # the model fields a record sets, besides its user
    inserted_with: ClassVar[dict[str, Any]] = {}  # set on every new row, besides `fields`
    updated_with: ClassVar[dict[str, Any]] = {}  # set on every updated row

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

    def write(self, *, creates: list[Prepared], updates: list[Prepared]) -> dict[str, str]:
        """Write one batch with bulk operations, inside the runner's transaction; returns
        {source_id: object id} for every created and updated record.

        As the API writes: the users first (the runner has locked them, in id order, with
        their closed periods: imports.closed; a concurrent API write cannot fill what
        check_batch saw free), then the rows this batch replaces; check_batch; then one bulk
        insert and one bulk update, each with its history rows.
        """
        rows = lock_rows_to_update(self.model, updates, self.noun) if updates else {}
        self.check_batch(creates, updates)
        ids = insert_rows(self.model, creates, **self.inserted_with)
        if updates:
            ids |= apply_updates(self.model, rows, updates, **self.updated_with)
            save_updates(self.model, rows, (*self.fields, *self.updated_with))
        return ids

    def check_batch(self, creates: list[Prepared], updates: list[Prepared]) -> None:  # noqa: B027
        """Check the batch against itself and the stored data (overlaps, one record per day,
        …); raise BatchRejected naming the offending source ids. Default: nothing to check."""
