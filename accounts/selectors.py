"""Reads for accounts: who may see whom (DESIGN §3)."""

from django.db.models import Q, QuerySet

from accounts.models import Team, User, Workspace


def users_visible_to(user: User) -> QuerySet[User]:
    """Admins see everyone; a member sees themself and the members of the non-deleted
    teams and active workspaces they belong to (Huddle's visibility, applied everywhere)."""
    if user.is_admin:
        return User.objects.all()
    team_mates = Team.objects.filter(members=user, is_deleted=False).values("members")
    workspace_mates = Workspace.objects.filter(members=user, state=Workspace.State.ACTIVE).values(
        "members"
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
