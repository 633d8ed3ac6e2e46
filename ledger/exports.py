"""CSV and XLSX exports of day rows, streamed: memory stays flat whatever the range.

CSV goes out line by line as the rows are computed (batches of users). XLSX is a zip file
whose directory comes last, so it cannot be sent before it is complete; openpyxl's
write-only mode spools rows to a temporary file instead of holding cells in memory, and the
finished file is streamed from disk.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from ledger.days import DayRow
from ledger.serializers import EXPORT_COLUMNS

# Spreadsheets run cells starting with these as formulas ("CSV injection"); a name like
# "=HYPERLINK(…)" must arrive as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _line(row: DayRow) -> list[Any]:
    return [safe_text(value(row)) for _, value in EXPORT_COLUMNS]


def filename(first: date, last: date, extension: str, subject: str = "days") -> str:
    return f"timebridge-{subject}-{first.isoformat()}-{last.isoformat()}.{extension}"


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_table(rows: Iterable[Any], columns: Sequence[tuple[str, Any]]) -> Iterator[str]:
    """CSV lines, one at a time: a header, then each row through `columns` (header, getter),
    text that a spreadsheet would run as a formula escaped (`safe_text`)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow([header for header, _ in columns])
    getters = [value for _, value in columns]
    for row in rows:
        # `safe_text` inlined: one test per cell instead of a call (tens of thousands of rows).
        yield writer.writerow(
            [
                "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell
                for cell in [value(row) for value in getters]
            ]
        )


def csv_lines(rows: Iterable[DayRow]) -> Iterator[str]:
    return csv_table(rows, EXPORT_COLUMNS)


def chunks(lines: Iterable[str], size: int = 100) -> Iterator[str]:
    """`size` lines at a time: the response encodes and sends each piece with some
    overhead, which per line of a large export adds up."""
    piece: list[str] = []
    for line in lines:
        piece.append(line)
        if len(piece) == size:
            yield "".join(piece)
            piece.clear()
    if piece:
        yield "".join(piece)


def csv_download(lines: Iterable[str], name: str) -> StreamingHttpResponse:
    """CSV lines streamed as a download named `name` (every CSV export goes through here)."""
    response = StreamingHttpResponse(chunks(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response(rows: Iterable[DayRow], *, first: date, last: date) -> StreamingHttpResponse:
    return csv_download(csv_lines(rows), filename(first, last, "csv"))


def xlsx_response(rows: Iterable[DayRow], *, first: date, last: date) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("days")
    sheet.append([header for header, _ in EXPORT_COLUMNS])
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in _line(row)])
    # Deleted when the response closes it; never a named file in the project tree.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename(first, last, "xlsx"),
        content_type=XLSX_TYPE,
    )
