"""The four wire dialects and Timebridge's own. A view names one by inheriting its mixin,
before the DRF view."""

from config.api.dialects.base import EnvelopeResponse, Page
from config.api.dialects.huddle import HuddleView, link
from config.api.dialects.mctime import McTimeView
from config.api.dialects.moco import MocoView
from config.api.dialects.prosonata import ProSonataView
from config.api.dialects.timebridge import TimebridgeView

__all__ = [
    "EnvelopeResponse",
    "HuddleView",
    "McTimeView",
    "MocoView",
    "Page",
    "ProSonataView",
    "TimebridgeView",
    "link",
]
