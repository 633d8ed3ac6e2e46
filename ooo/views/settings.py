"""One user's out-of-office settings: create, list, read, replace, delete, audits."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import user_to_act_for, user_visible_to
from config.api.dialects import huddle_codes as codes
from config.api.dialects import link
from config.api.errors import InvalidInput
from config.api.ids import parse_id
from config.links import huddle_user_href
from ooo import selectors, services
from ooo.serializers import (
    OooAuditListSerializer,
    OooAuditSerializer,
    OooPresenceBodySerializer,
    OooPresenceListSerializer,
    OooPresenceSerializer,
    out_of_office_href,
    parse_out_of_office,
)
from ooo.views.common import OutOfOfficeView, listing, operation


class OutOfOfficeCreateView(OutOfOfficeView):
    """A new OOO setting for the caller; earlier ones stay as they are."""

    @operation(
        "huddle_presence_create",
        "Create Presence (for the caller)",
        201,
        OooPresenceSerializer,
        request=OooPresenceBodySerializer,
    )
    def post(self, request: Request) -> Response:
        data = parse_out_of_office(request.data)
        setting = services.create_out_of_office(user=request.user, **data.as_fields())
        return Response(
            self.render_setting(request, setting, links="created"),
            status=status.HTTP_201_CREATED,
            headers={"Content-Location": out_of_office_href(request, setting)},
        )


def _presence_not_provided() -> InvalidInput:
    return InvalidInput(
        "No presence id in the path: use /presence/{userId}/{presenceId}.",
        code=codes.PRESENCE_NOT_PROVIDED,
    )


class UserListView(OutOfOfficeView):
    # A list about one user, for whoever may see the user: the same teammates read the
    # settings one by one (GET /presence/{u}/{p}) and by range (POST /presence) anyway.

    def get(self, request: Request, user_id: str) -> Response:
        user = user_visible_to(viewer=request.user, user_id=parse_id(user_id))
        return self.list_of(request, user)

    def list_of(self, request: Request, user: User) -> Response:
        raise NotImplementedError


@extend_schema_view(
    get=listing(
        "huddle_presence_of_user",
        "Retrieve Presence by User (whoever may see the user)",
        OooPresenceListSerializer,
    )
)
class OutOfOfficeOfUserView(UserListView):
    """All OOO presences of one user, newest first."""

    def get(self, request: Request, user_id: str) -> Response:
        # The caller's own list (the common case) needs no user query: the key's user is
        # current (config/api/keycache.py drops a remembered key when any user changes).
        if parse_id(user_id) == request.user.pk:
            return self.list_of(request, request.user)
        return super().get(request, user_id)

    def list_of(self, request: Request, user: User) -> Response:
        return self.settings_page(request, selectors.out_of_office_rows_of_user(user=user))

    # PUT/DELETE /presence/{userId}: the presence id is missing (spec: PresenceNotProvided).
    @extend_schema(exclude=True)
    def put(self, request: Request, user_id: str) -> Response:
        raise _presence_not_provided()

    @extend_schema(exclude=True)
    def delete(self, request: Request, user_id: str) -> Response:
        raise _presence_not_provided()


class OutOfOfficeDetailView(OutOfOfficeView):
    """One OOO presence: read, replace, delete."""

    @operation(
        "huddle_presence_retrieve",
        "One presence (the target of `self` / `presence` links)",
        200,
        OooPresenceSerializer,
    )
    def get(self, request: Request, user_id: str, presence_id: str) -> Response:
        # Whoever may see the user may see their settings (teammates get them from the
        # range queries anyway), so every `presence` link a caller receives resolves.
        user = user_visible_to(viewer=request.user, user_id=parse_id(user_id))
        setting = selectors.out_of_office_of_user(user=user, out_of_office_id=parse_id(presence_id))
        return Response(self.render_setting(request, setting, links="resource"))

    @operation(
        "huddle_presence_update",
        "Update Presence (owner or admin)",
        200,
        OooPresenceSerializer,
        request=OooPresenceBodySerializer,
    )
    def put(self, request: Request, user_id: str, presence_id: str) -> Response:
        user = user_to_act_for(viewer=request.user, user_id=parse_id(user_id))
        # Existence before body validation: PresenceNotFound wins over a bad body.
        setting = selectors.out_of_office_of_user(user=user, out_of_office_id=parse_id(presence_id))
        data = parse_out_of_office(request.data, on_update=True)
        setting = services.update_out_of_office(
            user=user, out_of_office_id=setting.pk, **data.as_fields()
        )
        return Response(
            self.render_setting(request, setting, links="resource"),
            headers={"Content-Location": out_of_office_href(request, setting)},
        )

    @operation(
        "huddle_presence_delete",
        "Delete Presence (owner or admin)",
        204,
        None,
    )
    def delete(self, request: Request, user_id: str, presence_id: str) -> Response:
        user = user_to_act_for(viewer=request.user, user_id=parse_id(user_id))
        # Id 0 (or one past the id range) names no row: not found, from the service.
        services.delete_out_of_office(user=user, out_of_office_id=parse_id(presence_id) or 0)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=listing(
        "huddle_presence_audits",
        "Retrieve Audit Entry (whoever may see the user)",
        OooAuditListSerializer,
    )
)
class OutOfOfficeAuditsView(UserListView):
    """The change history of a user's OOO presences, newest first."""

    def list_of(self, request: Request, user: User) -> Response:
        def render(records: list[Any]) -> list[Any]:
            previous = selectors.previous_records(records)
            return OooAuditSerializer(records, many=True, context={"previous": previous}).data

        return self.page_response(
            request,
            selectors.audit_records_of_user(user=user),
            render,
            collection="audits",
            extra_links=[link("parent", huddle_user_href(request, user.pk))],
        )


@extend_schema(exclude=True)
class NotProvidedView(OutOfOfficeView):
    """Paths that miss a required id (`/presence/abc`, `/presence/teams/`, …).

    They answer the spec's "… not provided" code instead of a bare 404, after the usual
    authentication (an anonymous caller still gets 401 first).
    """

    code: str = ""
    message: str = ""

    def _refuse(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise InvalidInput(self.message, code=self.code)

    get = post = put = delete = patch = _refuse
