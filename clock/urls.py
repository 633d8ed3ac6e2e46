"""McTime routes, mounted under api/v2/auth/ (config/urls.py)."""

from clock import views
from config.routing import api_path

urlpatterns = [
    api_path(r"clock", views.ClockView.as_view(), name="mctime-clock"),
    api_path(r"times", views.TimesView.as_view(), name="mctime-times"),
    api_path(r"times/(?P<pk>[^/]+)", views.TimeDetailView.as_view(), name="mctime-time-detail"),
]
