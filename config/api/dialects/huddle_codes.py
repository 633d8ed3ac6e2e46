"""Huddle's error codes, each spelled once, and their translation from neutral errors.

Selectors and services raise neutral errors that name a model field and a reason
(config.api.reasons: `field="team", code=DELETED`); the Huddle edge turns that pair into the
spec's code (`TeamDeleted`). Codes that only the edge knows (a missing link, a malformed
date) are raised there with these constants directly.
"""

from __future__ import annotations

from typing import Final

from config.api.reasons import (
    ARCHIVED,
    DELETED,
    END_BEFORE_START,
    LOCKED,
    NOT_FOUND,
    NOT_MEMBER,
    NOT_OWNER,
    TOO_LONG,
)

# --- the spec's codes ----------------------------------------------------------------------
BAD_REQUEST: Final = "BadRequest"
USER_NOT_PROVIDED: Final = "UserNotProvided"
USER_NOT_FOUND: Final = "UserNotFound"
TEAM_NOT_PROVIDED: Final = "TeamNotProvided"
TEAM_NOT_FOUND: Final = "TeamNotFound"
TEAM_MEMBERSHIP_REQUIRED: Final = "TeamMembershipRequired"
TEAM_DELETED: Final = "TeamDeleted"
WORKSPACE_NOT_PROVIDED: Final = "WorkspaceNotProvided"
WORKSPACE_NOT_FOUND: Final = "WorkspaceNotFound"
WORKSPACE_MEMBERSHIP_REQUIRED: Final = "WorkspaceMembershipRequired"
WORKSPACE_ARCHIVED: Final = "WorkspaceArchived"
WORKSPACE_LOCKED: Final = "WorkspaceLocked"
WORKSPACE_DELETED: Final = "WorkspaceDeleted"
PRESENCE_NOT_PROVIDED: Final = "PresenceNotProvided"
PRESENCE_NOT_FOUND: Final = "PresenceNotFound"
IS_ACTIVE_INVALID: Final = "IsActiveInvalid"
MESSAGE_INVALID: Final = "MessageInvalid"
MESSAGE_LENGTH_LIMIT_EXCEEDED: Final = "MessageLengthLimitExceeded"
# Create and the range queries: a date that does not parse, and an end before the start.
DATE_INVALID: Final = "DateInvalid"
DATE_RANGE_INVALID: Final = "DateRangeInvalid"
# Update: the spec's table names one code for every date problem, the range included.
PRESENCE_DATE_INVALID: Final = "PresenceDateInvalid"
# The spec spells the 403 of the team and workspace queries ("any permission errors") with
# an s, and the 403 of updating or deleting someone else's presence without one.
INSUFFICIENT_PERMISSIONS: Final = "InsufficientPermissions"
INSUFFICIENT_PERMISSION: Final = "InsufficientPermission"

# (field, neutral reason) → the spec's code.
_CODES: Final[dict[tuple[str | None, str], str]] = {
    ("user", NOT_FOUND): USER_NOT_FOUND,
    ("user", NOT_OWNER): INSUFFICIENT_PERMISSION,
    ("team", NOT_FOUND): TEAM_NOT_FOUND,
    ("team", NOT_MEMBER): TEAM_MEMBERSHIP_REQUIRED,
    ("team", DELETED): TEAM_DELETED,
    ("workspace", NOT_FOUND): WORKSPACE_NOT_FOUND,
    ("workspace", NOT_MEMBER): WORKSPACE_MEMBERSHIP_REQUIRED,
    ("workspace", ARCHIVED): WORKSPACE_ARCHIVED,
    ("workspace", LOCKED): WORKSPACE_LOCKED,
    ("workspace", DELETED): WORKSPACE_DELETED,
    ("presence", NOT_FOUND): PRESENCE_NOT_FOUND,
    ("end_date", END_BEFORE_START): DATE_RANGE_INVALID,
    ("message", TOO_LONG): MESSAGE_LENGTH_LIMIT_EXCEEDED,
}


def huddle_code(field: str | None, reason: str) -> str:
    """The spec's code for a neutral error; an error raised in Huddle's words keeps its own."""
    return _CODES.get((field, reason), reason)
