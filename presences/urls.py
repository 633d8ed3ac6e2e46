"""MOCO presences, mounted under `api/v1/` (config/urls.py)."""

from config.routing import moco_path
from presences import views

urlpatterns = [
    moco_path(r"users/presences", views.PresenceListView.as_view(), name="moco-presence-list"),
    moco_path(
        r"users/presences/touch", views.PresenceTouchView.as_view(), name="moco-presence-touch"
    ),
    moco_path(
        r"users/presences/(?P<pk>\d+)",
        views.PresenceDetailView.as_view(),
        name="moco-presence-detail",
    ),
]
