"""Reads for accounts: who may see whom (DESIGN §3)."""

from django.db.models import Q, QuerySet

from accounts.models import Team, User, Workspace


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
