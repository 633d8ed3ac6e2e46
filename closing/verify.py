"""Verifying the history chains, and the current rows against their latest history.

A chain is intact when its links (history rows and tombstones) have positions 1..n with no
gap and no double, each link's `chain_prev` is the previous link's hash (a purged link's
hash is vouched for by the tombstone that removed it), each link's hash matches its content,
and the chain head (`ChainHead`) names the last link. Every current row must equal its
latest history row, and every record whose history does not end in a deletion must exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models

from accounts.models import User
from closing.models import ChainHead, Tombstone
from config.canonical import digest, field_value
from config.chain import GENESIS, chained_models

HISTORY_ONLY = {
    "history_id",
    "history_date",
    "history_type",
    "history_user",
    "history_change_reason",
}


def _links(user_id: int) -> list[Any]:
    links: list[Any] = []
    for model in chained_models():
        links.extend(model.objects.filter(chain_user_id=user_id))
    return sorted(links, key=lambda row: row.chain_seq or 0)


def _describe(row: Any) -> str:
    if isinstance(row, Tombstone):
        return f"tombstone {row.pk}"
    return f"{row._meta.label} history_id={row.pk} (record {row.id}, {row.history_type})"


def verify_chain(user_id: int) -> str | None:
    """The first problem of the user's chain, or None."""
    links = _links(user_id)
    ghosts: dict[int, str] = {}
    for link in links:
        if isinstance(link, Tombstone):
            ghosts.update({int(seq): str(hash_) for seq, hash_ in link.removed})
    by_seq: dict[int, Any] = {}
    for link in links:
        if link.chain_seq in by_seq:
            return (
                f"user {user_id}: position {link.chain_seq} is taken twice "
                f"({_describe(by_seq[link.chain_seq])} and {_describe(link)})"
            )
        by_seq[link.chain_seq] = link
    last_seq = max([*by_seq, *ghosts], default=0)
    previous = GENESIS
    for seq in range(1, last_seq + 1):
        link = by_seq.get(seq)
        if link is None:
            if seq not in ghosts:
                return f"user {user_id}: link {seq} is missing (a history row was deleted)"
            previous = ghosts[seq]
            continue
        if link.chain_prev != previous:
            return (
                f"user {user_id}: {_describe(link)} at position {seq} does not follow the "
                "previous link (rows deleted, inserted or reordered)"
            )
        if digest(link) != link.chain_hash:
            return f"user {user_id}: {_describe(link)} at position {seq} was changed"
        # history_user is not hashed (deleting that user nulls it); chain_actor_id is.
        actor = getattr(link, "history_user_id", None)
        if actor is not None and actor != link.chain_actor_id:
            return f"user {user_id}: {_describe(link)} at position {seq} was changed (actor)"
        previous = link.chain_hash
    head = ChainHead.objects.filter(user_id=user_id).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, previous):
        return (
            f"user {user_id}: the chain ends at position {last_seq} but its head says "
            f"{head_seq} (history rows deleted at the end, or the head was edited)"
        )
    return None


def _history_models() -> Iterator[tuple[type[models.Model], type[models.Model]]]:
    for history_model in chained_models():
        instance = getattr(history_model, "instance_type", None)
        if instance is not None:
            yield instance, history_model


def _owned(model: type[models.Model], user_id: int) -> dict[str, Any]:
    if model is User:
        return {"pk": user_id}
    if any(f.name == "user" for f in model._meta.fields):
        return {"user_id": user_id}
    return {"entry__user_id": user_id}  # a time entry's breaks


def _history_owned(model: type[models.Model], user_id: int) -> dict[str, Any]:
    return {"id": user_id} if model is User else {"chain_user_id": user_id}


def verify_rows(user_id: int) -> str | None:
    """The first current row of the user that differs from (or lacks) its latest history."""
    for model, history_model in _history_models():
        tracked = [
            f
            for f in history_model._meta.concrete_fields
            if f.name not in HISTORY_ONLY and not f.name.startswith("chain_")
        ]
        current = {row.pk: row for row in model._default_manager.filter(**_owned(model, user_id))}
        ids = set(current) | set(
            history_model.objects.filter(**_history_owned(model, user_id)).values_list(
                "id", flat=True
            )
        )
        latest: dict[Any, Any] = {}
        for row in history_model.objects.filter(id__in=ids).order_by("history_id"):
            latest[row.id] = row  # ordered: the last one wins
        label = model._meta.label
        for pk in sorted(ids, key=str):
            row, last = current.get(pk), latest.get(pk)
            if row is None:
                if last is not None and last.history_type != "-":
                    return f"user {user_id}: {label} {pk} was deleted outside the application"
                continue
            if last is None or last.history_type == "-":
                return f"user {user_id}: {label} {pk} has no history (written outside it)"
            for field in tracked:
                own = model._meta.get_field(field.name)
                if field_value(row, own) != field_value(last, field):
                    return (
                        f"user {user_id}: {label} {pk} differs from its history in "
                        f"{field.name} (changed outside the application)"
                    )
    return None


def unchained() -> str | None:
    """A history row that is in no chain (inserted outside the application)."""
    for model in chained_models():
        row = model.objects.filter(chain_hash="").first()
        if row is not None:
            return f"{_describe(row)} is in no chain (inserted outside the application)"
    return None


def verify(user_id: int | None = None) -> list[str]:
    """Problems found, at most one per user (its first); empty when all is intact."""
    problems = []
    if user_id is None:
        problem = unchained()
        if problem:
            problems.append(problem)
        user_ids = sorted(
            set(User.objects.values_list("pk", flat=True))
            | set(ChainHead.objects.values_list("user_id", flat=True))
        )
    else:
        user_ids = [user_id]
    for uid in user_ids:
        problem = verify_chain(uid) or verify_rows(uid)
        if problem:
            problems.append(problem)
    return problems
