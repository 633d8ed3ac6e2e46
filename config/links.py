"""Absolute hrefs of Huddle resources, shared by every app that links to them."""

from django.urls import reverse
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param


def absolute(request: Request, name: str, **kwargs: object) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def huddle_user_href(request: Request, user_id: int) -> str:
    return absolute(request, "huddle-user", pk=user_id)


def huddle_team_href(request: Request, team_id: int) -> str:
    return absolute(request, "huddle-team", pk=team_id)


def huddle_workspace_href(request: Request, workspace_id: int) -> str:
    return absolute(request, "huddle-workspace", pk=workspace_id)


# Query parameters that carry a credential (ProSonata's `?apiKey=`): never echoed into a
# link, since links end up in logs, browser histories and other clients' hands.
SECRET_QUERY_PARAMETERS = ("apiKey",)


def request_url(request: Request) -> str:
    """The request's absolute URL, as paging and `self` links repeat it: without secrets."""
    url = request.build_absolute_uri()
    for name in SECRET_QUERY_PARAMETERS:
        # query_params decodes names, so `api%4Bey=` is caught too (Django reads it as apiKey).
        if name in request.query_params:
            url = remove_query_param(url, name)
    return url
