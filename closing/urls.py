"""Closed periods, mounted under /api/timebridge/v1/ (config/urls.py)."""

from django.urls import re_path

from closing import views

urlpatterns = [
    re_path(r"^closures/?$", views.ClosureListView.as_view(), name="closure-list"),
    re_path(
        r"^closures/(?P<pk>[0-9]{1,18})/?$",
        views.ClosureDetailView.as_view(),
        name="closure-detail",
    ),
]
