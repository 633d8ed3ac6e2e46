"""Huddle presence routes, mounted at the site root (Huddle clients' base URL is the host).

Order matters: the id-shaped routes first, then catch-alls that turn a missing or
non-numeric id into the spec's "… not provided" code instead of a bare 404.
"""

from django.urls import re_path

from config.routing import api_path
from ooo import views


def _not_provided(route: str, code: str, message: str, name: str):  # type: ignore[no-untyped-def]
    return re_path(
        rf"^{route}$", views.NotProvidedView.as_view(code=code, message=message), name=name
    )


urlpatterns = [
    api_path(r"presence/create", views.PresenceCreateView.as_view(), name="huddle-presence-create"),
    api_path(r"presence", views.PresenceByUsersView.as_view(), name="huddle-presence-users"),
    api_path(
        r"presence/teams/(?P<team_id>\d+)",
        views.PresenceByTeamView.as_view(),
        name="huddle-presence-team",
    ),
    api_path(
        r"presence/workspace/(?P<workspace_id>\d+)",
        views.PresenceByWorkspaceView.as_view(),
        name="huddle-presence-workspace",
    ),
    api_path(
        r"presence/(?P<user_id>\d+)/audits",
        views.PresenceAuditsView.as_view(),
        name="huddle-presence-audits",
    ),
    api_path(
        r"presence/(?P<user_id>\d+)/(?P<presence_id>\d+)",
        views.PresenceDetailView.as_view(),
        name="huddle-presence-detail",
    ),
    api_path(
        r"presence/(?P<user_id>\d+)",
        views.PresenceOfUserView.as_view(),
        name="huddle-presence-user",
    ),
    _not_provided(
        r"presence/teams(?:/.*)?",
        "TeamNotProvided",
        "No team id in the path: use /presence/teams/{teamId}.",
        "huddle-presence-team-missing",
    ),
    _not_provided(
        r"presence/workspace(?:/.*)?",
        "WorkspaceNotProvided",
        "No workspace id in the path: use /presence/workspace/{workspaceId}.",
        "huddle-presence-workspace-missing",
    ),
    _not_provided(
        r"presence/\d+/.*",
        "PresenceNotProvided",
        "No presence id in the path: use /presence/{userId}/{presenceId}.",
        "huddle-presence-detail-missing",
    ),
    _not_provided(
        r"presence/.*",
        "UserNotProvided",
        "No user id in the path: use /presence/{userId}.",
        "huddle-presence-user-missing",
    ),
]
