"""German back office: 24-hour times, day.month.year dates (see `config.formats.common`)."""

from config.formats.common import *  # noqa: F403
