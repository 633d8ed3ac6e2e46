"""Why a selector or service refused, in no API's words.

A neutral error (config.api.errors) names the model field it is about and one of these
reasons as its `code`; each dialect words the pair its own way (Huddle: huddle_codes).
"""

from __future__ import annotations

from typing import Final

NOT_FOUND: Final = "NotFound"  # NotFound's own default code
NOT_MEMBER: Final = "not_member"
NOT_OWNER: Final = "not_owner"
DELETED: Final = "deleted"
ARCHIVED: Final = "archived"  # a workspace's state names its reason: archived, locked, deleted
LOCKED: Final = "locked"
END_BEFORE_START: Final = "end_before_start"
TOO_LONG: Final = "too_long"
