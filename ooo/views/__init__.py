"""Huddle's Presence API (spec: huddle-presence.txt). Thin: parse → selector/service → render.

`settings`: one user's settings and their audits; `ranges`: the range queries by users, team
and workspace; `common`: what they share.
"""

from ooo.views.ranges import (
    OutOfOfficeByTeamView,
    OutOfOfficeByUsersView,
    OutOfOfficeByWorkspaceView,
)
from ooo.views.settings import (
    NotProvidedView,
    OutOfOfficeAuditsView,
    OutOfOfficeCreateView,
    OutOfOfficeDetailView,
    OutOfOfficeOfUserView,
)

__all__ = [
    "NotProvidedView",
    "OutOfOfficeAuditsView",
    "OutOfOfficeByTeamView",
    "OutOfOfficeByUsersView",
    "OutOfOfficeByWorkspaceView",
    "OutOfOfficeCreateView",
    "OutOfOfficeDetailView",
    "OutOfOfficeOfUserView",
]
