"""accounts routes, one list per base URL they are mounted under (see config/urls.py)."""

from accounts import views
from config.routing import api_path, moco_path

moco_urlpatterns = [
    moco_path(r"users", views.MocoUserListView.as_view(), name="moco-user-list"),
    moco_path(r"users/(?P<pk>\d+)", views.MocoUserDetailView.as_view(), name="moco-user-detail"),
]

mctime_urlpatterns = [
    api_path(r"users", views.McTimeUserListView.as_view(), name="mctime-user-list"),
    api_path(
        r"organizations",
        views.McTimeOrganizationListView.as_view(),
        name="mctime-organization-list",
    ),
]

huddle_urlpatterns = [
    api_path(r"users/(?P<pk>\d+)", views.HuddleUserView.as_view(), name="huddle-user"),
    api_path(r"teams/(?P<pk>\d+)", views.HuddleTeamView.as_view(), name="huddle-team"),
    api_path(
        r"workspaces/(?P<pk>\d+)", views.HuddleWorkspaceView.as_view(), name="huddle-workspace"
    ),
]
