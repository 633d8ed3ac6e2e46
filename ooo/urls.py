"""Huddle presence routes, mounted at the site root (Huddle clients' base URL is the host).

Order matters: the id-shaped routes first, then catch-alls that turn a missing or
non-numeric id into the spec's "… not provided" code instead of a bare 404.
"""

from django.urls import re_path

from config.api.dialects import huddle_codes as codes
from config.routing import api_path
from ooo import views

# (route, view, name): the url names are what hrefs are built from.
ROUTES = [
    (r"presence/create", views.OutOfOfficeCreateView, "huddle-presence-create"),
    (r"presence", views.OutOfOfficeByUsersView, "huddle-presence-users"),
    (r"presence/teams/(?P<team_id>\d+)", views.OutOfOfficeByTeamView, "huddle-presence-team"),
    (
        r"presence/workspace/(?P<workspace_id>\d+)",
        views.OutOfOfficeByWorkspaceView,
        "huddle-presence-workspace",
    ),
    (r"presence/(?P<user_id>\d+)/audits", views.OutOfOfficeAuditsView, "huddle-presence-audits"),
    (
        r"presence/(?P<user_id>\d+)/(?P<presence_id>\d+)",
        views.OutOfOfficeDetailView,
        "huddle-presence-detail",
    ),
    (r"presence/(?P<user_id>\d+)", views.OutOfOfficeOfUserView, "huddle-presence-user"),
]

# (route, code, message, name): paths that miss the id they need.
NOT_PROVIDED = [
    (
        r"presence/teams(?:/.*)?",
        codes.TEAM_NOT_PROVIDED,
        "No team id in the path: use /presence/teams/{teamId}.",
        "huddle-presence-team-missing",
    ),
    (
        r"presence/workspace(?:/.*)?",
        codes.WORKSPACE_NOT_PROVIDED,
        "No workspace id in the path: use /presence/workspace/{workspaceId}.",
        "huddle-presence-workspace-missing",
    ),
    (
        r"presence/\d+/.*",
        codes.PRESENCE_NOT_PROVIDED,
        "No presence id in the path: use /presence/{userId}/{presenceId}.",
        "huddle-presence-detail-missing",
    ),
    (
        r"presence/.*",
        codes.USER_NOT_PROVIDED,
        "No user id in the path: use /presence/{userId}.",
        "huddle-presence-user-missing",
    ),
]

urlpatterns = [
    *(api_path(route, view.as_view(), name=name) for route, view, name in ROUTES),
    *(
        re_path(rf"^{route}$", views.NotProvidedView.as_view(code=code, message=message), name=name)
        for route, code, message, name in NOT_PROVIDED
    ),
]
