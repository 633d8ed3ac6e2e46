"""English back office, German company conventions: 24-hour times, day.month.year dates.

The same values as `config.formats.de`; dates and times in forms are also accepted in ISO
8601 form (`2026-03-02`, `14:30`).
"""

from config.formats.common import *  # noqa: F403
