"""The user, team, workspace and organization endpoints of each dialect.

They exist because the sources' clients need them: MOCO's `/users`, McTime's `/users` and
`/organizations`, and the Huddle `/users/{id}`, `/teams/{id}`, `/workspaces/{id}` that every
Huddle link `href` points to.
"""

from drf_spectacular.utils import extend_schema
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
from config.api.errors import NotFound
from config.api.ids import parse_id
from config.links import huddle_team_href, huddle_user_href, huddle_workspace_href


class MocoUserListView(MocoView, APIView):
    @extend_schema(tags=["MOCO"], responses=MocoUserSerializer(many=True))
    def get(self, request: Request) -> Response:
        users = selectors.users_visible_to(request.user).order_by("id")
        return self.page_response(
            request, users, lambda items: MocoUserSerializer(items, many=True).data
        )


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


def huddle_member_links(request: Request, group: Team | Workspace) -> list[dict[str, str]]:
    return [
        link("user", huddle_user_href(request, pk))
        for pk in selectors.visible_member_ids(viewer=request.user, group=group)
    ]


class HuddleTeamView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        team = selectors.team_visible_to(viewer=request.user, team_id=parse_id(pk), named=pk)
        return Response(
            {
                "links": [
                    link("self", huddle_team_href(request, team.pk)),
                    *huddle_member_links(request, team),
                ],
                "id": team.pk,
                "name": team.name,
                "isDeleted": team.is_deleted,
            }
        )


class HuddleWorkspaceView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        workspace = selectors.workspace_visible_to(
            viewer=request.user, workspace_id=parse_id(pk), named=pk
        )
        return Response(
            {
                "links": [
                    link("self", huddle_workspace_href(request, workspace.pk)),
                    *huddle_member_links(request, workspace),
                ],
                "id": workspace.pk,
                "name": workspace.name,
                "state": workspace.state,
            }
        )


class McTimeUserListView(McTimeView, APIView):
    @extend_schema(tags=["McTime"], responses=McTimeUserSerializer(many=True))
    def get(self, request: Request) -> Response:
        users = selectors.users_visible_to(request.user).order_by("id")
        return self.page_response(
            request, users, lambda items: McTimeUserSerializer(items, many=True).data
        )


class McTimeOrganizationListView(McTimeView, APIView):
    @extend_schema(tags=["McTime"], responses=McTimeOrganizationSerializer(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request,
            Organization.objects.order_by("name", "created_at"),
            lambda items: McTimeOrganizationSerializer(items, many=True).data,
        )
