"""Timebridge's own API, mounted at /api/timebridge/v1/ (config/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
