"""The user, team, workspace and organization endpoints of each dialect.

They exist because the sources' clients need them: MOCO's `/users`, McTime's `/users` and
`/organizations`, and the Huddle `/users/{id}`, `/teams/{id}`, `/workspaces/{id}` that every
Huddle link `href` points to.
"""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.models import Organization, Team, User, Workspace
from accounts.serializers import (
    McTimeOrganizationSerializer,
    McTimeUserSerializer,
    MocoUserSerializer,
)
from config.api.dialects import HuddleView, McTimeView, MocoView, link
from config.api.dialects.base import DialectView
from config.api.errors import NotFound
from config.api.ids import parse_id
from config.links import huddle_team_href, huddle_user_href, huddle_workspace_href


def visible_users_page(
    view: DialectView, request: Request, serializer: type[serializers.Serializer]
) -> Response:
    """The users the caller may see, in id order: one page in the view's dialect."""
    users = selectors.users_visible_to(request.user).order_by("id")
    return view.page_response(request, users, lambda items: serializer(items, many=True).data)


class MocoUserListView(MocoView, APIView):
    @extend_schema(tags=["MOCO"], responses=MocoUserSerializer(many=True))
    def get(self, request: Request) -> Response:
        return visible_users_page(self, request, MocoUserSerializer)


class MocoUserDetailView(MocoView, APIView):
    @extend_schema(tags=["MOCO"], responses=MocoUserSerializer)
    def get(self, request: Request, pk: int) -> Response:
        user = selectors.users_visible_to(request.user).filter(pk=row_id(pk)).first()
        if user is None:
            raise NotFound(f"User {pk} not found.")
        return Response(MocoUserSerializer(user).data)


def row_id(pk: str) -> int:
    """A path id as an int; what names no row becomes 0, which matches nothing."""
    return parse_id(pk) or 0


def huddle_user_body(request: Request, user: User) -> dict:
    return {
        "links": [link("self", huddle_user_href(request, user.pk))],
        "id": user.pk,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "displayName": user.full_name,
        "email": user.email,
    }


class HuddleUserView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        user = selectors.user_visible_to(viewer=request.user, user_id=parse_id(pk), named=pk)
        return Response(huddle_user_body(request, user))


def huddle_group_body(
    request: Request,
    group: Team | Workspace,
    group_href: Callable[[Request, int], str],
    **fields: object,
) -> dict:
    """A Huddle team or workspace: its own link, a link per member the caller may see, its
    id and name, then `fields` (what only that kind of group has)."""
    members = selectors.visible_member_ids(viewer=request.user, group=group)
    return {
        "links": [
            link("self", group_href(request, group.pk)),
            *(link("user", huddle_user_href(request, pk)) for pk in members),
        ],
        "id": group.pk,
        "name": group.name,
        **fields,
    }


class HuddleTeamView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        team = selectors.team_visible_to(viewer=request.user, team_id=parse_id(pk), named=pk)
        return Response(
            huddle_group_body(request, team, huddle_team_href, isDeleted=team.is_deleted)
        )


class HuddleWorkspaceView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        workspace = selectors.workspace_visible_to(
            viewer=request.user, workspace_id=parse_id(pk), named=pk
        )
        return Response(
            huddle_group_body(request, workspace, huddle_workspace_href, state=workspace.state)
        )


class McTimeUserListView(McTimeView, APIView):
    @extend_schema(tags=["McTime"], responses=McTimeUserSerializer(many=True))
    def get(self, request: Request) -> Response:
        return visible_users_page(self, request, McTimeUserSerializer)


class McTimeOrganizationListView(McTimeView, APIView):
    @extend_schema(tags=["McTime"], responses=McTimeOrganizationSerializer(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request,
            Organization.objects.order_by("name", "created_at"),
            lambda items: McTimeOrganizationSerializer(items, many=True).data,
        )
