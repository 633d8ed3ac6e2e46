"""The timesheet in Chromium, served by gunicorn with DEBUG=false on PostgreSQL."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import log_in
from tests.factories import PresenceFactory, UserFactory, WorkingTimeFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.live, pytest.mark.browser]

# Each cell's text fragments on lines of their own, as the exports write them.
TABLE_TEXT = """() => [...document.querySelectorAll('#timesheet tr')].map(tr =>
  [...tr.children].map(td => [...td.childNodes].map(n => n.textContent.trim())
    .filter(Boolean).join('\\n')))"""


def long_day(user) -> None:  # type: ignore[no-untyped-def]
    """Monday 02.03.2026, MOCO 07:00-18:00 without a break: 11 h, three §3/§4 violations."""
    PresenceFactory(user=user, date=dt.date(2026, 3, 2), from_time=dt.time(7), to_time=dt.time(18))
    WorkingTimeFactory(user=user, working_date=dt.date(2026, 3, 3))  # 8 h, a 30-minute break


def test_timesheet_shows_a_days_hours_and_a_finding(page, server, staff_user):  # type: ignore[no-untyped-def]
    anna = UserFactory(username="anna", first_name="Anna", last_name="Schmidt")
    long_day(anna)
    log_in(page, server, staff_user)

    page.get_by_role("link", name="Timesheet", exact=True).click()
    page.wait_for_url(f"{server}/admin/timesheet/")
    page.steps("own timesheet")
    # The person picker searches by name (an autocomplete, for hundreds of users).
    page.click("#id_user + .select2 .select2-selection")
    page.fill(".select2-search__field", "Schmidt")
    page.click(".select2-results__option >> text=Anna Schmidt (anna)")
    page.fill("#id_month", "2026-03")
    page.click("#timesheet-choose input[type=submit]")
    page.wait_for_url(f"{server}/admin/timesheet/?user={anna.pk}&month=2026-03")
    page.steps("Anna's March")

    assert "Timesheet of Anna Schmidt, 03/2026" in page.title()
    row = page.locator("#timesheet tr.day", has_text="02.03.2026")
    cells = row.locator("td").all_inner_texts()
    # Date, day, start, end, work, breaks, target, credit, balance.
    expected = ["02.03.2026", "Mon", "07:00", "18:00", "11:00", "0:00", "8:00", "0:00", "+3:00"]
    assert cells[:9] == expected
    finding = row.locator(".note.violation", has_text="§3 ArbZG")
    assert finding.inner_text().startswith("§3 ArbZG: 11 h worked")
    # Highlighted: the finding is in the error colour, its line marked as a violation.
    assert "has-violation" in row.get_attribute("class")
    colour = finding.evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb(186, 33, 33)"
    page.locator("#timesheet-summary").scroll_into_view_if_needed()
    summary = page.locator("#timesheet-summary").inner_text()
    assert "176:00" in summary  # March 2026: 22 working days of 8 h
    assert "19:00" in summary  # worked: 11 h + 8 h


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_export_downloaded_and_parsed(page, server, staff_user, extension):  # type: ignore[no-untyped-def]
    anna = UserFactory(username="anna", first_name="Anna", last_name="Schmidt")
    long_day(anna)
    log_in(page, server, staff_user)
    page.goto(f"{server}/admin/timesheet/?user={anna.pk}&month=2026-03")
    page.steps("timesheet")
    shown = page.evaluate(TABLE_TEXT)

    with page.expect_download() as download_info:
        page.click(f"#export-{extension}")
    download = download_info.value
    page.steps("downloaded")

    assert download.suggested_filename == f"timesheet-anna-2026-03.{extension}"
    content = Path(download.path()).read_bytes()
    if extension == "csv":
        parsed = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        parsed = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert parsed == shown
    day = dict(zip(parsed[0], next(r for r in parsed if r[0] == "02.03.2026"), strict=True))
    assert day["Work"] == "11:00"
    assert "§3 ArbZG: 11 h worked" in day["Flags and findings"]
