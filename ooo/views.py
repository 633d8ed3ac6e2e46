"""Huddle's Presence API (spec: huddle-presence.txt). Thin: parse → selector/service → render.

Range queries (by users, team, workspace) answer POST with a JSON body, as in the spec, and
also GET with the same parameters in the query string: `self` and the paging links point to
that GET form, so every href the API returns can be followed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import HuddleView, link
from config.api.errors import InvalidInput
from config.links import (
    absolute,
    huddle_team_href,
    huddle_user_href,
    huddle_workspace_href,
)
from ooo import selectors, services
from ooo.serializers import (
    OooAuditListSerializer,
    OooErrorSerializer,
    OooPresenceBodySerializer,
    OooPresenceListSerializer,
    OooPresenceSerializer,
    OooRangeBodySerializer,
    RangeQuery,
    audit_entry,
    ids_from_links,
    parse_id,
    parse_presence,
    parse_range_body,
    parse_range_query,
    presence_entity,
    presence_href,
    presence_resource,
)

TAGS = ["Huddle"]
ERRORS = dict.fromkeys((400, 401, 403, 404), OooErrorSerializer)
PAGING = [
    OpenApiParameter("page", OpenApiTypes.INT, description="From 1 (default 1)."),
    OpenApiParameter("pageSize", OpenApiTypes.INT, description="Default 50, at most 500."),
]
RANGE = [
    *PAGING,
    OpenApiParameter(
        "startDate", OpenApiTypes.DATETIME, description="GET form; POST sends it in the body."
    ),
    OpenApiParameter(
        "endDate", OpenApiTypes.DATETIME, description="GET form; POST sends it in the body."
    ),
]


class PresenceView(HuddleView, APIView):
    """Huddle's Presence API (out-of-office settings)."""

    def range_response(
        self,
        request: Request,
        *,
        queryset: QuerySet,
        url_name: str,
        url_kwargs: dict[str, Any],
        params: list[tuple[str, Any]],
        self_href: str | None = None,
    ) -> Response:
        """One page of a range query, with `self` and paging links in the GET form."""
        for name in ("page", "pageSize"):
            if name in request.query_params:
                params.append((name, request.query_params[name]))
        url = f"{absolute(request, url_name, **url_kwargs)}?{urlencode(params)}"
        return self.page_response(
            request,
            queryset,
            lambda items: [presence_entity(request, p) for p in items],
            url=url,
            self_href=self_href,
        )


def _range_params(query: RangeQuery) -> list[tuple[str, Any]]:
    return list(query.query_params().items())


class PresenceCreateView(PresenceView):
    """A new OOO setting for the caller; earlier ones stay as they are."""

    @extend_schema(
        tags=TAGS,
        summary="Create Presence (for the caller)",
        operation_id="huddle_presence_create",
        request=OooPresenceBodySerializer,
        responses={201: OooPresenceSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = parse_presence(request.data, date_code="DateInvalid")
        presence = services.create_presence(
            user=request.user,
            is_active=data.is_active,
            start_date=data.start_date,
            end_date=data.end_date,
            message=data.message,
        )
        return Response(
            presence_resource(request, presence, with_presence=False),
            status=status.HTTP_201_CREATED,
            headers={"Content-Location": presence_href(request, presence)},
        )


class PresenceByUsersView(PresenceView):
    """OOO presences of the named users overlapping [startDate, endDate]."""

    def _respond(self, request: Request, query: RangeQuery, raw_ids: list[int | None]) -> Response:
        if not raw_ids or None in raw_ids:
            raise InvalidInput(
                "Name at least one user, each by a link {rel: user, href: <user URI>}.",
                code="UserNotProvided",
                field="links",
            )
        user_ids = selectors.visible_user_ids(viewer=request.user, user_ids=raw_ids)  # type: ignore[arg-type]
        queryset = selectors.presences_in_range(
            start=query.start, end=query.end, user_id__in=user_ids
        )
        params = _range_params(query) + [("user", user_id) for user_id in user_ids]
        return self.range_response(
            request,
            queryset=queryset,
            url_name="huddle-presence-users",
            url_kwargs={},
            params=params,
        )

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by Users",
        operation_id="huddle_presence_by_users",
        request=OooRangeBodySerializer,
        parameters=PAGING,
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        query = parse_range_body(request.data)
        raw_ids = ids_from_links(query.links, rel="user", url_name="huddle-user")
        return self._respond(request, query, raw_ids)

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by Users (GET form, the target of self/paging links)",
        operation_id="huddle_presence_by_users_get",
        parameters=[
            *RANGE,
            OpenApiParameter("user", OpenApiTypes.INT, many=True, description="User ids."),
        ],
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = parse_range_query(request)
        raw_ids = [parse_id(value) for value in request.query_params.getlist("user")]
        return self._respond(request, query, raw_ids)


def _check_body_link(query: RangeQuery, *, rel: str, url_name: str, pk: int, code: str) -> None:
    """The body's `rel` link is optional (the path names the team), but must agree."""
    for named in ids_from_links(query.links, rel=rel, url_name=url_name):
        if named != pk:
            raise InvalidInput(
                f"The {rel} link does not name the {rel} {pk} of the path.",
                code=code,
                field="links",
            )


class PresenceByTeamView(PresenceView):
    """OOO presences of a team's members overlapping [startDate, endDate]."""

    def _respond(self, request: Request, query: RangeQuery, team_id: str) -> Response:
        team = selectors.team_for_viewer(viewer=request.user, team_id=parse_id(team_id))
        _check_body_link(
            query, rel="team", url_name="huddle-team", pk=team.pk, code="TeamNotProvided"
        )
        queryset = selectors.presences_in_range(start=query.start, end=query.end, user__teams=team)
        return self.range_response(
            request,
            queryset=queryset,
            url_name="huddle-presence-team",
            url_kwargs={"team_id": team.pk},
            params=_range_params(query),
            self_href=huddle_team_href(request, team.pk),  # spec: self is the Team's URI
        )

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by Team",
        operation_id="huddle_presence_by_team",
        request=OooRangeBodySerializer,
        parameters=PAGING,
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def post(self, request: Request, team_id: str) -> Response:
        return self._respond(request, parse_range_body(request.data), team_id)

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by Team (GET form, the target of paging links)",
        operation_id="huddle_presence_by_team_get",
        parameters=RANGE,
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def get(self, request: Request, team_id: str) -> Response:
        return self._respond(request, parse_range_query(request), team_id)


class PresenceByWorkspaceView(PresenceView):
    """OOO presences of a workspace's members overlapping [startDate, endDate]."""

    def _respond(self, request: Request, query: RangeQuery, workspace_id: str) -> Response:
        workspace = selectors.workspace_for_viewer(
            viewer=request.user, workspace_id=parse_id(workspace_id)
        )
        _check_body_link(
            query,
            rel="workspace",
            url_name="huddle-workspace",
            pk=workspace.pk,
            code="WorkspaceNotProvided",
        )
        queryset = selectors.presences_in_range(
            start=query.start, end=query.end, user__workspaces=workspace
        )
        return self.range_response(
            request,
            queryset=queryset,
            url_name="huddle-presence-workspace",
            url_kwargs={"workspace_id": workspace.pk},
            params=_range_params(query),
            self_href=huddle_workspace_href(request, workspace.pk),  # spec: the Workspace's URI
        )

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by Workspace",
        operation_id="huddle_presence_by_workspace",
        request=OooRangeBodySerializer,
        parameters=PAGING,
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def post(self, request: Request, workspace_id: str) -> Response:
        return self._respond(request, parse_range_body(request.data), workspace_id)

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by Workspace (GET form, the target of paging links)",
        operation_id="huddle_presence_by_workspace_get",
        parameters=RANGE,
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def get(self, request: Request, workspace_id: str) -> Response:
        return self._respond(request, parse_range_query(request), workspace_id)


def _presence_not_provided() -> InvalidInput:
    return InvalidInput(
        "No presence id in the path: use /presence/{userId}/{presenceId}.",
        code="PresenceNotProvided",
    )


class PresenceOfUserView(PresenceView):
    """All OOO presences of one user, newest first."""

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Presence by User (whoever may see the user)",
        operation_id="huddle_presence_of_user",
        parameters=PAGING,
        responses={200: OooPresenceListSerializer, **ERRORS},
    )
    def get(self, request: Request, user_id: str) -> Response:
        # Whoever may see the user may list their presences: the same teammates read them
        # one by one (GET /presence/{u}/{p}) and by range (POST /presence) anyway.
        user = selectors.user_visible_to(viewer=request.user, user_id=parse_id(user_id))
        return self.page_response(
            request,
            selectors.presences_of_user(user=user),
            lambda items: [presence_entity(request, p) for p in items],
        )

    # PUT/DELETE /presence/{userId}: the presence id is missing (spec: PresenceNotProvided).
    @extend_schema(exclude=True)
    def put(self, request: Request, user_id: str) -> Response:
        raise _presence_not_provided()

    @extend_schema(exclude=True)
    def delete(self, request: Request, user_id: str) -> Response:
        raise _presence_not_provided()


class PresenceDetailView(PresenceView):
    """One OOO presence: read, replace, delete."""

    @extend_schema(
        tags=TAGS,
        summary="One presence (the target of `self` / `presence` links)",
        operation_id="huddle_presence_retrieve",
        responses={200: OooPresenceSerializer, **ERRORS},
    )
    def get(self, request: Request, user_id: str, presence_id: str) -> Response:
        # Whoever may see the user may see their presences (teammates get them from the
        # range queries anyway), so every `presence` link a caller receives resolves.
        user = selectors.user_visible_to(viewer=request.user, user_id=parse_id(user_id))
        presence = selectors.presence_of_user(user=user, presence_id=parse_id(presence_id))
        return Response(presence_resource(request, presence, with_presence=True))

    @extend_schema(
        tags=TAGS,
        summary="Update Presence (owner or admin)",
        operation_id="huddle_presence_update",
        request=OooPresenceBodySerializer,
        responses={200: OooPresenceSerializer, **ERRORS},
    )
    def put(self, request: Request, user_id: str, presence_id: str) -> Response:
        user = selectors.user_for_owner_action(
            viewer=request.user, user_id=parse_id(user_id), code="InsufficientPermission"
        )
        # Existence before body validation: PresenceNotFound wins over a bad body.
        presence = selectors.presence_of_user(user=user, presence_id=parse_id(presence_id))
        data = parse_presence(request.data, date_code="PresenceDateInvalid")
        presence = services.update_presence(
            user=user,
            presence_id=presence.pk,
            is_active=data.is_active,
            start_date=data.start_date,
            end_date=data.end_date,
            message=data.message,
        )
        return Response(
            presence_resource(request, presence, with_presence=True),
            headers={"Content-Location": presence_href(request, presence)},
        )

    @extend_schema(
        tags=TAGS,
        summary="Delete Presence (owner or admin)",
        operation_id="huddle_presence_delete",
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, user_id: str, presence_id: str) -> Response:
        user = selectors.user_for_owner_action(
            viewer=request.user, user_id=parse_id(user_id), code="InsufficientPermission"
        )
        # Id 0 (or one past the id range) names no row: PresenceNotFound from the service.
        services.delete_presence(user=user, presence_id=parse_id(presence_id) or 0)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PresenceAuditsView(PresenceView):
    """The change history of a user's OOO presences, newest first."""

    @extend_schema(
        tags=TAGS,
        summary="Retrieve Audit Entry (whoever may see the user)",
        operation_id="huddle_presence_audits",
        parameters=PAGING,
        responses={200: OooAuditListSerializer, **ERRORS},
    )
    def get(self, request: Request, user_id: str) -> Response:
        # Same visibility as the presences themselves (see PresenceOfUserView).
        user = selectors.user_visible_to(viewer=request.user, user_id=parse_id(user_id))

        def render(records: list[Any]) -> list[dict[str, Any]]:
            previous = selectors.previous_records(records)
            return [audit_entry(r, previous.get(r.history_id)) for r in records]

        return self.page_response(
            request,
            selectors.audit_records_of_user(user=user),
            render,
            collection="audits",
            extra_links=[link("parent", huddle_user_href(request, user.pk))],
        )


@extend_schema(exclude=True)
class NotProvidedView(HuddleView, APIView):
    """Paths that miss a required id (`/presence/abc`, `/presence/teams/`, …).

    They answer the spec's "… not provided" code instead of a bare 404, after the usual
    authentication (an anonymous caller still gets 401 first).
    """

    code: str = ""
    message: str = ""

    def _refuse(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise InvalidInput(self.message, code=self.code)

    get = post = put = delete = patch = _refuse
