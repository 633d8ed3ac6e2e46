"""Reads for accounts: who may see whom, act for whom, and query which team or workspace.

Every API asks here, so that one set of rules decides visibility everywhere.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.models import Team, User, Workspace
from config.api.errors import Forbidden, NotFound
from config.api.reasons import DELETED, NOT_MEMBER, NOT_OWNER


def users_visible_to(user: User) -> QuerySet[User]:
    """Admins see everyone; a member sees themself and the members of the non-deleted
    teams and active workspaces they belong to or created (Huddle's visibility, applied
    everywhere)."""
    if user.is_admin:
        return User.objects.all()
    # Through the membership tables: `Team.objects.filter(members=user).values("members")`
    # would reuse the filter's join and yield only `user` themself, never a mate.
    # A group's creator counts like a member (Huddle: "the Team creator, the Team members").
    my_teams = Team.objects.filter(Q(members=user) | Q(created_by=user), is_deleted=False).values(
        "pk"
    )
    my_workspaces = Workspace.objects.filter(
        Q(members=user) | Q(created_by=user), state=Workspace.State.ACTIVE
    ).values("pk")
    team_mates = Team.members.through.objects.filter(team__in=my_teams).values("user_id")
    workspace_mates = Workspace.members.through.objects.filter(workspace__in=my_workspaces).values(
        "user_id"
    )
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=team_mates) | Q(pk__in=workspace_mates))


def can_see_user(viewer: User, target: User) -> bool:
    return (
        viewer.is_admin
        or viewer.pk == target.pk
        or (users_visible_to(viewer).filter(pk=target.pk).exists())
    )


def teams_visible_to(user: User) -> QuerySet[Team]:
    if user.is_admin:
        return Team.objects.all()
    return Team.objects.filter(members=user)


# --- whom a viewer may see or act for, and which teams and workspaces they may query -----
# Neutral refusals: the model field and a reason (config.api.reasons); each API words them.
# `named` is the id as the request wrote it, for the message (default: the parsed id).


def user_not_found(user_id: object) -> NotFound:
    return NotFound(f"User {user_id} does not exist.", field="user")


def user_visible_to(*, viewer: User, user_id: int | None, named: object = None) -> User:
    """The user `user_id` names, when `viewer` may see them; a stranger is not found, so
    that no answer confirms they exist."""
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None or not can_see_user(viewer, user):
        raise user_not_found(named if named is not None else user_id or "")
    return user


def user_to_act_for(*, viewer: User, user_id: int | None) -> User:
    """The user whose records `viewer` wants to change, when they may: themself, or anyone
    for an admin.

    A user the viewer may not see at all is not found, exactly as reading them; a visible
    user who is not the viewer is refused (reason NOT_OWNER).
    """
    user = user_visible_to(viewer=viewer, user_id=user_id)
    if viewer.is_admin or viewer.pk == user.pk:
        return user
    raise Forbidden(
        f"Only user {user.pk} themself or an administrator may do this.",
        field="user",
        code=NOT_OWNER,
    )


def visible_user_ids(*, viewer: User, user_ids: Iterable[int]) -> list[int]:
    """`user_ids` (deduplicated, in order) when the viewer may see every one of them.

    Unknown and invisible users are both not found (one query, no leak).
    """
    wanted = list(dict.fromkeys(user_ids))
    visible = set(
        users_visible_to(viewer).filter(pk__in=wanted).values_list("pk", flat=True).distinct()
    )
    for user_id in wanted:
        if user_id not in visible:
            raise user_not_found(user_id)
    return wanted


def may_query(viewer: User, group: Team | Workspace) -> bool:
    """Admins, the group's creator and its members may query a team or workspace (Huddle:
    "can be called by … the Team creator, the Team members")."""
    return (
        viewer.is_admin
        or group.created_by_id == viewer.pk
        or group.members.filter(pk=viewer.pk).exists()
    )


def team_visible_to(*, viewer: User, team_id: int | None, named: object = None) -> Team:
    """The team, when `viewer` may query it (deleted or not: `isDeleted` says which)."""
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    if team is None:
        raise NotFound(f"Team {named or team_id} does not exist.", field="team")
    if not may_query(viewer, team):
        raise Forbidden("You are not a member of this team.", field="team", code=NOT_MEMBER)
    return team


def queryable_team(*, viewer: User, team_id: int | None) -> Team:
    """The team whose members' records `viewer` may query: visible to them and not deleted.

    Membership is checked before the deleted flag, so non-members learn nothing about it.
    """
    team = team_visible_to(viewer=viewer, team_id=team_id)
    if team.is_deleted:
        raise Forbidden(f"Team {team.pk} is deleted.", field="team", code=DELETED)
    return team


def workspace_visible_to(
    *, viewer: User, workspace_id: int | None, named: object = None
) -> Workspace:
    """The workspace, when `viewer` may query it (in any state: `state` says which)."""
    workspace = (
        Workspace.objects.filter(pk=workspace_id).first() if workspace_id is not None else None
    )
    if workspace is None:
        raise NotFound(f"Workspace {named or workspace_id} does not exist.", field="workspace")
    if not may_query(viewer, workspace):
        raise Forbidden(
            "You are not a member of this workspace.",
            field="workspace",
            code=NOT_MEMBER,
        )
    return workspace


def queryable_workspace(*, viewer: User, workspace_id: int | None) -> Workspace:
    """The workspace whose members' records `viewer` may query: visible to them and active."""
    workspace = workspace_visible_to(viewer=viewer, workspace_id=workspace_id)
    if workspace.state != Workspace.State.ACTIVE:
        # The state names the reason: archived, locked or deleted (config.api.reasons).
        raise Forbidden(
            f"Workspace {workspace.pk} is {workspace.state}.",
            field="workspace",
            code=workspace.state,
        )
    return workspace


def visible_member_ids(*, viewer: User, group: Team | Workspace) -> list[int]:
    """The group's member ids that `viewer` may see, in membership order: a deleted team or
    an archived workspace no longer makes its members visible, and its member list must not
    confirm them either."""
    ids = [member.pk for member in group.members.all()]
    visible = set(users_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk in visible]
