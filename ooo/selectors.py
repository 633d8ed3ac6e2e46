"""Reads for OOO presences: who may see which, range queries, audit pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import Team, User, Workspace
from accounts.selectors import can_see_user, users_visible_to
from config.api.errors import Forbidden, NotFound
from ooo.models import OutOfOffice

WORKSPACE_STATE_CODES = {
    Workspace.State.ARCHIVED: "WorkspaceArchived",
    Workspace.State.LOCKED: "WorkspaceLocked",
    Workspace.State.DELETED: "WorkspaceDeleted",
}


def _user_not_found(user_id: int | str) -> NotFound:
    return NotFound(f"User {user_id} does not exist.", code="UserNotFound")


def user_for_owner_action(*, viewer: User, user_id: int | None, code: str) -> User:
    """The user `{userId}` names, when `viewer` may act on their presences (self or admin).

    A user the viewer may not see at all answers UserNotFound, exactly as GET /users/{id}
    does, so that the API never confirms a stranger exists; a visible user who is not the
    viewer answers 403 with `code` (the spec's InsufficientPermission(s)).
    """
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        raise _user_not_found(user_id or "")
    if viewer.is_admin or viewer.pk == user.pk:
        return user
    if not can_see_user(viewer, user):
        raise _user_not_found(user_id)  # type: ignore[arg-type]
    raise Forbidden(f"Only user {user.pk} themself or an administrator may do this.", code=code)


def user_visible_to(*, viewer: User, user_id: int | None) -> User:
    """The user `{userId}` names, when `viewer` may see them (teammate rules)."""
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None or not can_see_user(viewer, user):
        raise _user_not_found(user_id or "")
    return user


def presences_of_user(*, user: User) -> QuerySet[OutOfOffice]:
    return OutOfOffice.objects.filter(user=user).newest_first()


def presence_of_user(*, user: User, presence_id: int | None) -> OutOfOffice:
    """The presence `{presenceId}` of `{userId}`; another user's id is PresenceNotFound."""
    presence = (
        OutOfOffice.objects.filter(pk=presence_id, user=user).first()
        if presence_id is not None
        else None
    )
    if presence is None:
        raise NotFound(
            f"Presence {presence_id} of user {user.pk} does not exist.", code="PresenceNotFound"
        )
    return presence


def visible_user_ids(*, viewer: User, user_ids: Iterable[int]) -> list[int]:
    """`user_ids` (deduplicated, in order) when the viewer may see every one of them.

    Unknown and invisible users both answer UserNotFound (one query, no leak).
    """
    wanted = list(dict.fromkeys(user_ids))
    visible = set(
        users_visible_to(viewer).filter(pk__in=wanted).values_list("pk", flat=True).distinct()
    )
    for user_id in wanted:
        if user_id not in visible:
            raise _user_not_found(user_id)
    return wanted


def presences_in_range(
    *, start: datetime | None, end: datetime | None, **filters: Any
) -> QuerySet[OutOfOffice]:
    return OutOfOffice.objects.filter(**filters).overlapping(start, end).newest_first()


def may_query(viewer: User, group: Team | Workspace) -> bool:
    """Admins, the group's creator and its members may query a team or workspace."""
    return (
        viewer.is_admin
        or group.created_by_id == viewer.pk
        or group.members.filter(pk=viewer.pk).exists()
    )


def team_for_viewer(*, viewer: User, team_id: int | None) -> Team:
    """The team, when the viewer may query it: members, its creator (Huddle: "can be called
    by … the Team creator, the Team members") and admins; team not deleted.

    Membership is checked before the deleted flag, so non-members learn nothing about it.
    """
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    if team is None:
        raise NotFound(f"Team {team_id} does not exist.", code="TeamNotFound")
    if not may_query(viewer, team):
        raise Forbidden(f"You are not a member of team {team.pk}.", code="TeamMembershipRequired")
    if team.is_deleted:
        raise Forbidden(f"Team {team.pk} is deleted.", code="TeamDeleted")
    return team


def workspace_for_viewer(*, viewer: User, workspace_id: int | None) -> Workspace:
    """The workspace, when the viewer may query it: members, its creator and admins; state
    active."""
    workspace = (
        Workspace.objects.filter(pk=workspace_id).first() if workspace_id is not None else None
    )
    if workspace is None:
        raise NotFound(f"Workspace {workspace_id} does not exist.", code="WorkspaceNotFound")
    if not may_query(viewer, workspace):
        raise Forbidden(
            f"You are not a member of workspace {workspace.pk}.",
            code="WorkspaceMembershipRequired",
        )
    code = WORKSPACE_STATE_CODES.get(workspace.state)
    if code is not None:
        raise Forbidden(f"Workspace {workspace.pk} is {workspace.state}.", code=code)
    return workspace


def audit_records_of_user(*, user: User) -> QuerySet:
    """Every history record of the user's presences (deleted ones too), newest first."""
    return OutOfOffice.history.filter(user_id=user.pk).order_by("-history_date", "-history_id")


def previous_records(records: list[Any]) -> dict[int, Any]:
    """For each update record on the page, the record just before it (to diff against).

    One query for the whole page (not one per record): every earlier record of the
    presences updated on this page, then the nearest one per record in Python.
    """
    updates = [r for r in records if r.history_type == "~"]
    if not updates:
        return {}
    earlier = OutOfOffice.history.filter(
        id__in={r.id for r in updates}, history_id__lt=max(r.history_id for r in updates)
    ).order_by("history_id")
    by_presence: dict[int, list[Any]] = {}
    for record in earlier:
        by_presence.setdefault(record.id, []).append(record)
    result = {}
    for record in updates:
        candidates = [c for c in by_presence.get(record.id, []) if c.history_id < record.history_id]
        result[record.history_id] = candidates[-1] if candidates else None
    return result
