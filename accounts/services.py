"""Writes for accounts: users and API keys."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import ApiKey, User, validate_timezone

KEY_SEPARATOR = "."
PREFIX_MAX_LENGTH = ApiKey._meta.get_field("prefix").max_length
Record = TypeVar("Record", bound=models.Model)


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def create_user(
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: str = User.Role.MEMBER,
    timezone_name: str | None = None,
    password: str | None = None,
) -> User:
    """Create a user, validating role, time zone and username uniqueness."""
    if role not in User.Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; use one of {User.Role.values}."})
    tz = timezone_name or settings.TIME_ZONE
    try:
        validate_timezone(tz)
    except ValidationError as exc:
        raise ValidationError({"timezone": exc.messages}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user named {username!r} already exists."})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        timezone=tz,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def create_api_key(
    *, user: User, label: str = "", expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """Create a key for `user`; returns the row and the raw key, which is never stored."""
    prefix = secrets.token_hex(6)
    raw_key = f"{prefix}{KEY_SEPARATOR}{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        user=user,
        label=label,
        prefix=prefix,
        key_hash=hash_api_key(raw_key),
        expires_at=expires_at,
    )
    return api_key, raw_key


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey) -> ApiKey:
    """Revoke for good: nothing un-revokes a key (issue a new one instead).

    Revoking a revoked key keeps its first revocation time.
    """
    # Row lock: a concurrent relabel saving a stale copy must not clear revoked_at.
    current = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
    api_key.revoked_at = current.revoked_at
    return current


@transaction.atomic
def relabel_api_key(*, api_key: ApiKey, label: str) -> ApiKey:
    """Change a key's label, the one thing about a key that may change besides revocation."""
    current = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if current.label != label:
        current.label = label
        # Only the label: never write back a revoked_at read before a concurrent revoke.
        current.save(update_fields=["label"])
    return current


def find_active_api_key(raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key` (of an active user), or None."""
    prefix, sep, _ = raw_key.partition(KEY_SEPARATOR)
    # Keys are printable ASCII; anything else (a NUL from `?apiKey=%00`, which PostgreSQL
    # refuses in a text parameter) is simply not a key, never a database error.
    if not sep or not prefix or len(prefix) > PREFIX_MAX_LENGTH:
        return None
    if not (raw_key.isascii() and raw_key.isprintable()):
        return None
    api_key = (
        ApiKey.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_api_key(raw_key)):
        return None
    return api_key


def touch_api_key_last_used(*, api_key: ApiKey) -> None:
    """Record use, but write at most once per resolution window (not once per request)."""
    now = timezone.now()
    resolution = timedelta(seconds=settings.API_KEY_LAST_USED_RESOLUTION_SECONDS)
    if api_key.last_used_at is None or now - api_key.last_used_at >= resolution:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


def lock_user(*, user_id: int) -> User:
    """Lock the user's row for the rest of the transaction.

    Every write that checks a per-user invariant (no overlap, one open presence, one running
    clock, one record per day) takes this lock first, so two concurrent requests for the same
    user run one after the other and the second sees what the first wrote; requests for
    different users do not wait for each other. Must be called inside transaction.atomic.
    """
    return User.objects.select_for_update().get(pk=user_id)


def reread_under_user_lock(record: Record, rows: QuerySet[Record] | None = None) -> Record | None:
    """`record` read again (from `rows`, by default all of its model's) after `lock_user` on
    its user: the caller's copy may be stale, or the row deleted meanwhile (then None)."""
    lock_user(user_id=record.user_id)  # type: ignore[attr-defined]
    if rows is None:
        rows = type(record)._default_manager.all()
    return rows.filter(pk=record.pk).first()
