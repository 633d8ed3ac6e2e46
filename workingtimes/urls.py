"""ProSonata working times under http://HOST/api/v1 (docs/decisions.md)."""

from config.routing import api_path
from workingtimes.views import WorkingTimeDetailView, WorkingTimeListView

urlpatterns = [
    api_path(r"workingtimes", WorkingTimeListView.as_view(), name="prosonata-workingtime-list"),
    api_path(
        r"workingtimes/(?P<pk>\d+)",
        WorkingTimeDetailView.as_view(),
        name="prosonata-workingtime-detail",
    ),
]
