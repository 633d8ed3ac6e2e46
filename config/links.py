"""Absolute hrefs of Huddle resources, shared by every app that links to them."""

from django.urls import reverse
from rest_framework.request import Request


def absolute(request: Request, name: str, **kwargs: object) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def huddle_user_href(request: Request, user_id: int) -> str:
    return absolute(request, "huddle-user", pk=user_id)


def huddle_team_href(request: Request, team_id: int) -> str:
    return absolute(request, "huddle-team", pk=team_id)


def huddle_workspace_href(request: Request, workspace_id: int) -> str:
    return absolute(request, "huddle-workspace", pk=workspace_id)
