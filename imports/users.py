"""Mapping a source's users to Timebridge users.

Order: the stored mapping (source, external id) → a unique match by email → a unique match
by first and last name → a unique match by username → with --create-users, a new member.
Every match is stored as a mapping, so later runs (and later renames) stay stable. Anything
else is unmatched and reported by the runner, never dropped silently.
"""

from __future__ import annotations

import re

from django.db.models import Q

from accounts.models import User
from accounts.services import create_user
from imports.models import ExternalUser
from imports.sources.base import UserRef


class UserResolver:
    def __init__(self, *, source: str, create_users: bool) -> None:
        self.source = source
        self.create_users = create_users
        self._known: dict[str, User] = {
            m.external_id: m.user
            for m in ExternalUser.objects.filter(source=source).select_related("user")
        }
        self._pending: dict[str, User] = {}
        self.created_users: list[User] = []

    def resolve(self, ref: UserRef) -> User | None:
        if ref.external_id in self._known:
            return self._known[ref.external_id]
        if ref.external_id in self._pending:
            return self._pending[ref.external_id]
        user = self._match(ref)
        if user is None and self.create_users:
            user = self._create(ref)
        if user is not None:
            ExternalUser.objects.create(source=self.source, external_id=ref.external_id, user=user)
            self._pending[ref.external_id] = user
        return user

    # The runner writes each batch in a transaction; mappings and users made during a batch
    # that is rolled back must be forgotten too.
    def batch_succeeded(self) -> None:
        self._known.update(self._pending)
        self._pending.clear()

    def batch_failed(self) -> None:
        rolled_back = set(self._pending.values())
        self.created_users = [u for u in self.created_users if u not in rolled_back]
        self._pending.clear()

    @staticmethod
    def _unique(queryset) -> User | None:  # type: ignore[no-untyped-def]
        matches = list(queryset[:2])
        return matches[0] if len(matches) == 1 else None

    def _match(self, ref: UserRef) -> User | None:
        users = User.objects.filter(is_active=True)
        if ref.email:
            user = self._unique(users.filter(email__iexact=ref.email))
            if user:
                return user
        if ref.first_name and ref.last_name:
            user = self._unique(
                users.filter(first_name__iexact=ref.first_name, last_name__iexact=ref.last_name)
            )
            if user:
                return user
        if ref.username:
            return self._unique(users.filter(username__iexact=ref.username))
        return None

    def _create(self, ref: UserRef) -> User | None:
        if not (ref.username or ref.email or ref.first_name or ref.last_name):
            return None  # nothing to name the user by
        user = create_user(
            username=self._free_username(ref),
            first_name=ref.first_name,
            last_name=ref.last_name,
            email=ref.email,
        )
        self.created_users.append(user)
        return user

    def _free_username(self, ref: UserRef) -> str:
        base = (
            ref.username
            or (ref.email.split("@")[0] if ref.email else "")
            or (f"{ref.first_name}.{ref.last_name}")
        )
        base = re.sub(r"[^\w.@+-]", "", base.lower())[:120] or f"{self.source}-{ref.external_id}"
        candidate, n = base, 1
        while User.objects.filter(Q(username__iexact=candidate)).exists():
            n += 1
            candidate = f"{base}{n}"
        return candidate
