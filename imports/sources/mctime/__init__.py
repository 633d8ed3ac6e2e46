"""McTime time entries: the `{"items": [{"data": {"timeEntries": …}}], "valid": true}` pages
of GET /times, grouped per user, each entry with its breaks."""

from imports.sources.mctime.parsing import parse_canonical, parse_with_serializer
from imports.sources.mctime.reading import month_windows
from imports.sources.mctime.source import McTimeEntrySource

__all__ = ["McTimeEntrySource", "month_windows", "parse_canonical", "parse_with_serializer"]
