"""Bringing history written before the chains existed into them (run once after upgrading).

Unchained history rows are appended to their users' chains in the order they were written
(history date, then id); users and API keys without any history get a first history row
("History started") so that verify_history can compare them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accounts.models import ApiKey, User
from config.chain import chained_models, stamp


@transaction.atomic
def adopt(*, report: Callable[[str], None] = print) -> int:
    for model in (User, ApiKey):
        history_model = model.history.model  # type: ignore[attr-defined]
        copied = [
            f.attname
            for f in history_model._meta.concrete_fields
            if not f.attname.startswith(("history_", "chain_"))
        ]
        first_rows = [
            history_model(
                **{name: getattr(obj, name) for name in copied},
                history_type="~",
                history_change_reason="History started",
                history_date=getattr(obj, "updated_at", None) or obj.created_at,
            )
            for obj in model._default_manager.exclude(pk__in=model.history.values("id"))  # type: ignore[attr-defined]
        ]
        # The plain manager: inserted unchained, then chained below in time order.
        history_model._base_manager.bulk_create(first_rows)
    pending = []
    for model in chained_models():
        if hasattr(model, "instance_type"):
            pending.extend(model.objects.filter(chain_hash=""))
    pending.sort(key=lambda row: (row.history_date, row.history_id))
    stamp(pending)
    for row in pending:
        type(row).objects.filter(pk=row.pk).update(
            chain_user_id=row.chain_user_id,
            chain_seq=row.chain_seq,
            chain_prev=row.chain_prev,
            chain_hash=row.chain_hash,
        )
    report(f"Chained {len(pending)} history rows written before the chains existed.")
    return len(pending)
