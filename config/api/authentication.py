"""API-key authentication in every header form the four sources' clients send (docs/decisions.md).

    MOCO       Authorization: Token token=KEY   (also Authorization: Bearer KEY)
    Huddle     Authorization: Bearer KEY        (older clients: Authorization: OAuth2 KEY)
    McTime     API_KEY: KEY                     (underscore; needs the gunicorn config)
    ProSonata  X-API-Key: KEY  or  ?apiKey=KEY  (X-APP-ID / appID may accompany it)

Any active key works with every API in any of these forms.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from accounts.models import ApiKey, User
from accounts.services import find_active_api_key, hash_api_key, touch_api_key_last_used
from config.api import keycache

_AUTHORIZATION = re.compile(
    r"^\s*(?:Token\s+token=\"?(?P<token>[^\s\"]+)\"?|(?:Bearer|OAuth2|Token)\s+(?P<plain>\S+))\s*$",
    re.IGNORECASE,
)
_USER_ID = re.compile(r"[0-9]+")


def raw_key_from_request(request: Request) -> str | None:
    """The API key the request carries, in whichever form, or None."""
    meta = request.META
    authorization = meta.get("HTTP_AUTHORIZATION", "")
    if authorization:
        match = _AUTHORIZATION.match(authorization)
        if match:
            return match.group("token") or match.group("plain")
    for header in ("HTTP_API_KEY", "HTTP_X_API_KEY"):
        if meta.get(header):
            return meta[header].strip()
    key = request.query_params.get("apiKey")
    return key.strip() if key else None


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticates by API key; `request.auth` is the ApiKey row."""

    www_authenticate_realm = "timebridge"

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        raw_key = raw_key_from_request(request)
        if raw_key is None:
            # A request that sent an Authorization header we could not read is not anonymous.
            if request.META.get("HTTP_AUTHORIZATION"):
                raise exceptions.AuthenticationFailed("Unsupported Authorization header.")
            return None
        api_key = self._find(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid, revoked or unknown API key.")
        return api_key.user, api_key

    @staticmethod
    def _find(raw_key: str) -> ApiKey | None:
        # The digest names the cache entry (raw keys are never kept); a remembered entry
        # saves the lookup query on most requests (config/api/keycache.py).
        key_hash = hash_api_key(raw_key)
        api_key = keycache.get(key_hash)
        if api_key is None:
            generation = keycache.current_generation()
            api_key = find_active_api_key(raw_key)
            if api_key is None:
                return None
            keycache.remember(key_hash, api_key, generation=generation)
        last_used = api_key.last_used_at
        touch_api_key_last_used(api_key=api_key)
        if api_key.last_used_at != last_used:
            keycache.note_last_used(key_hash, api_key)
        return api_key

    def authenticate_header(self, request: Request) -> str:
        # Presence of this header makes DRF answer 401 (not 403) to unauthenticated calls.
        return f'Bearer realm="{self.www_authenticate_realm}"'


class ImpersonatingApiKeyAuthentication(ApiKeyAuthentication):
    """MOCO: an admin's key may act as another user via `X-IMPERSONATE-USER-ID`."""

    header = "HTTP_X_IMPERSONATE_USER_ID"

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        result = super().authenticate(request)
        impersonate = request.META.get(self.header, "").strip()
        if result is None or not impersonate:
            return result
        key_user, api_key = result
        # DRF exceptions here (not our ApiError): DRF then marks the request anonymous
        # before the error is rendered.
        if not key_user.is_admin:
            raise exceptions.PermissionDenied("Only administrators may use X-IMPERSONATE-USER-ID.")
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses (a 500).
        if not _USER_ID.fullmatch(impersonate):
            raise exceptions.NotFound(f"User {impersonate!r} not found (X-IMPERSONATE-USER-ID).")
        user = User.objects.filter(pk=int(impersonate), is_active=True).first()
        if user is None:
            raise exceptions.NotFound(f"User {impersonate} not found (X-IMPERSONATE-USER-ID).")
        # Remember who really acts, e.g. for the history of changes.
        request.impersonator = key_user  # type: ignore[attr-defined]
        return user, api_key


def is_anonymous(user: object) -> bool:
    return user is None or isinstance(user, AnonymousUser)
