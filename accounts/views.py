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
from config.api.errors import Forbidden, NotFound
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
    def get(self, request: Request, pk: int) -> Response:
        user = User.objects.filter(pk=row_id(pk)).first()
        if user is None or not selectors.can_see_user(request.user, user):
            raise NotFound(f"User {pk} does not exist.", code="UserNotFound")
        return Response(huddle_user_body(request, user))


def _may_query(viewer: User, group: Team | Workspace, members: list[User]) -> bool:
    """Huddle: admins, the group's creator and its members."""
    return viewer.is_admin or group.created_by_id == viewer.pk or viewer in members


def _visible_member_ids(viewer: User, members: list[User]) -> list[int]:
    """Member ids the viewer may see: a deleted team or an archived workspace no longer
    makes its members visible, and its member list must not confirm them either."""
    ids = [m.pk for m in members]
    visible = set(
        selectors.users_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return [pk for pk in ids if pk in visible]


class HuddleTeamView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        team = Team.objects.prefetch_related("members").filter(pk=row_id(pk)).first()
        if team is None:
            raise NotFound(f"Team {pk} does not exist.", code="TeamNotFound")
        members = list(team.members.all())
        if not _may_query(request.user, team, members):
            raise Forbidden("You are not a member of this team.", code="TeamMembershipRequired")
        return Response(
            {
                "links": [
                    link("self", huddle_team_href(request, team.pk)),
                    *(
                        link("user", huddle_user_href(request, pk))
                        for pk in _visible_member_ids(request.user, members)
                    ),
                ],
                "id": team.pk,
                "name": team.name,
                "isDeleted": team.is_deleted,
            }
        )


class HuddleWorkspaceView(HuddleView, APIView):
    @extend_schema(tags=["Huddle"], responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        workspace = Workspace.objects.prefetch_related("members").filter(pk=row_id(pk)).first()
        if workspace is None:
            raise NotFound(f"Workspace {pk} does not exist.", code="WorkspaceNotFound")
        members = list(workspace.members.all())
        if not _may_query(request.user, workspace, members):
            raise Forbidden(
                "You are not a member of this workspace.", code="WorkspaceMembershipRequired"
            )
        return Response(
            {
                "links": [
                    link("self", huddle_workspace_href(request, workspace.pk)),
                    *(
                        link("user", huddle_user_href(request, pk))
                        for pk in _visible_member_ids(request.user, members)
                    ),
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
