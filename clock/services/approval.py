"""The back office's approval transitions of time entries (approve, disapprove, export)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.services import lock_user
from clock.models import ApprovalStatus, TimeEntry

# Which statuses each back-office transition starts from.
_APPROVAL_SOURCES = {
    ApprovalStatus.APPROVED: {
        ApprovalStatus.NOT_APPROVED_YET,
        ApprovalStatus.UNDER_APPROVAL,
        ApprovalStatus.DISAPPROVED,
    },
    ApprovalStatus.EXPORTED: {ApprovalStatus.APPROVED},
    # Disapproval sends an entry back to its owner; approved and exported entries are final.
    ApprovalStatus.DISAPPROVED: {ApprovalStatus.NOT_APPROVED_YET, ApprovalStatus.UNDER_APPROVAL},
}


@transaction.atomic
def set_approval_status(*, entries: Iterable[TimeEntry], status: str) -> int:
    """Approve or disapprove valid entries, or mark approved ones exported; returns how many
    changed.

    Invalid entries are never approved: they are not part of anyone's working time.
    """
    sources = _APPROVAL_SOURCES[ApprovalStatus(status)]
    ids = [entry.pk for entry in entries]
    # Race: a stop or POST /times of the same user checks approval under the user's lock
    # and then deletes or trims; approving in between would let it destroy an approved
    # entry. Lock the owners (in id order, against deadlocks), then re-read.
    owners = TimeEntry.objects.filter(pk__in=ids).values_list("user_id", flat=True)
    for user_id in sorted(set(owners)):
        lock_user(user_id=user_id)
    changed = 0
    for entry in TimeEntry.objects.filter(pk__in=ids):
        if entry.is_valid and entry.approval_status in sources:
            entry.approval_status = status
            entry.save(update_fields=["approval_status", "updated_at"])
            changed += 1
    return changed
