"""The timesheet as CSV or XLSX: the very `Table` the page shows, cell for cell.

A timesheet is one person's month or one team's week (a few hundred lines at most), so it is
built in memory; the ledger's own exports stream whole ranges for many people.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from backoffice.timesheet_table import Table
from ledger.exports import XLSX_TYPE


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table.plain_rows():
        writer.writerow(row)
    # A byte-order mark, so that spreadsheet programs read umlauts in names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("timesheet")
    for row in table.plain_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(table: Table, *, extension: str, filename: str) -> HttpResponse:
    if extension == "csv":
        response = HttpResponse(csv_bytes(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
