"""Mapping a source's users to Timebridge users.

Order: the stored mapping (source, external id) → a unique match by email → a unique match
by first and last name → a unique match by username → with --create-users, a new member.
Every match is stored as a mapping, so later runs (and later renames) stay stable. Anything
else is unmatched and reported by the runner, never dropped silently.

A batch's users are resolved together, in a fixed number of queries however many are new:
one for the candidates, one for the usernames taken, one insert each for new members, their
history and the mappings. The rules are those of one lookup per user, in the batch's order:
a member created for an earlier user can be the match of a later one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Upper
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from imports.models import ExternalUser
from imports.sources.base import UserRef


def _fold(text: str) -> str:
    """The key of a case-insensitive (`__iexact`) comparison: PostgreSQL's upper(), which
    maps one character to one (Python's would make `ß` two)."""
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in text)


class _Pool:
    """Active users that may match the batch's refs, by each matching key."""

    def __init__(self, users: Iterable[User]) -> None:
        self.by_email: dict[str, list[User]] = defaultdict(list)
        self.by_name: dict[tuple[str, str], list[User]] = defaultdict(list)
        self.by_username: dict[str, list[User]] = defaultdict(list)
        for user in users:
            self.add(user)

    def add(self, user: User) -> None:
        self.by_email[_fold(user.email)].append(user)
        self.by_name[(_fold(user.first_name), _fold(user.last_name))].append(user)
        self.by_username[_fold(user.username)].append(user)

    def match(self, ref: UserRef) -> User | None:
        """The unique match by email, else by name, else by username."""
        keys = (
            (self.by_email, _fold(ref.email) if ref.email else None),
            (
                self.by_name,
                (_fold(ref.first_name), _fold(ref.last_name))
                if ref.first_name and ref.last_name
                else None,
            ),
            (self.by_username, _fold(ref.username) if ref.username else None),
        )
        for index, key in keys:
            if key is not None and len(index.get(key, ())) == 1:
                return index[key][0]
        return None


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

    def resolve_all(self, refs: list[UserRef]) -> dict[str, User | None]:
        """Timebridge users by external id (None: unmatched), the first ref of an id deciding;
        new mappings (and, with create_users, new members) are written in bulk."""
        found: dict[str, User | None] = {}
        unknown: list[UserRef] = []
        for ref in refs:
            if ref.external_id in found:
                continue
            user = self._known.get(ref.external_id) or self._pending.get(ref.external_id)
            found[ref.external_id] = user
            if user is None:
                unknown.append(ref)
        if not unknown:
            return found
        pool = _Pool(self._candidates(unknown))
        created: list[User] = []
        taken: set[str] | None = None
        for ref in unknown:
            user = pool.match(ref)
            if user is None and self.create_users and _nameable(ref):
                if taken is None:  # asked once, and only when a member is to be created
                    taken = self._usernames_like(ref for ref in unknown if _nameable(ref))
                user = self._new_member(ref, taken)
                pool.add(user)
                created.append(user)
            found[ref.external_id] = user
        if created:
            bulk_create_with_history(created, User)
            self.created_users.extend(created)
        mapped = {external_id: u for external_id, u in found.items() if u is not None}
        new = {k: u for k, u in mapped.items() if k not in self._known and k not in self._pending}
        ExternalUser.objects.bulk_create(
            ExternalUser(source=self.source, external_id=k, user=u) for k, u in new.items()
        )
        self._pending.update(new)
        return found

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
    def _candidates(refs: list[UserRef]) -> list[User]:
        """Every active user that one of the refs could match, in one query."""
        emails = [_fold(r.email) for r in refs if r.email]
        names = [(r.first_name, r.last_name) for r in refs if r.first_name and r.last_name]
        usernames = [_fold(r.username) for r in refs if r.username]
        if not (emails or names or usernames):
            return []
        wanted = Q(email_key__any=emails) | Q(username_key__any=usernames)
        if names:
            wanted |= Q(
                first_key__any=[_fold(first) for first, _ in names],
                last_key__any=[_fold(last) for _, last in names],
            )
        return list(
            User.objects.filter(is_active=True)
            .annotate(
                email_key=Upper("email"),
                first_key=Upper("first_name"),
                last_key=Upper("last_name"),
                username_key=Upper("username"),
            )
            .filter(wanted)
            .order_by("pk")
        )

    def _new_member(self, ref: UserRef, taken: set[str]) -> User:
        """A member as accounts.services.create_user makes one (no password, the default
        time zone, validated), under a username no user has (case-insensitively)."""
        user = User(
            username=self._free_username(ref, taken),
            first_name=ref.first_name,
            last_name=ref.last_name,
            email=ref.email,
            role=User.Role.MEMBER,
            timezone=settings.TIME_ZONE,
        )
        user.set_unusable_password()
        # Unique fields and the constraints hold by construction (a free username, a new
        # uuid, the member role); checking them would cost queries per user.
        user.full_clean(validate_unique=False, validate_constraints=False)
        taken.add(_fold(user.username))
        return user

    def _base_username(self, ref: UserRef) -> str:
        base = (
            ref.username
            or (ref.email.split("@")[0] if ref.email else "")
            or (f"{ref.first_name}.{ref.last_name}")
        )
        return re.sub(r"[^\w.@+-]", "", base.lower())[:120] or f"{self.source}-{ref.external_id}"

    def _usernames_like(self, refs: Iterable[UserRef]) -> set[str]:
        """The usernames (folded) that _free_username could pick for the refs: their bases
        and, for a base that is taken, the base with a number."""
        bases = {_fold(self._base_username(ref)) for ref in refs}
        names = User.objects.annotate(key=Upper("username")).filter(key__any=sorted(bases))
        taken = {_fold(name) for name in names.values_list("username", flat=True)}
        if taken:  # rare: a base no active user matched uniquely is someone's username
            pattern = rf"^({'|'.join(sorted(map(re.escape, taken)))})[0-9]+$"
            numbered = User.objects.filter(username__iregex=pattern)
            taken |= {_fold(name) for name in numbered.values_list("username", flat=True)}
        return taken

    def _free_username(self, ref: UserRef, taken: set[str]) -> str:
        base = self._base_username(ref)
        candidate, n = base, 1
        while _fold(candidate) in taken:
            n += 1
            candidate = f"{base}{n}"
        return candidate


def _nameable(ref: UserRef) -> bool:
    """Whether a new member could be named after the ref (else it stays unmatched)."""
    return bool(ref.username or ref.email or ref.first_name or ref.last_name)
