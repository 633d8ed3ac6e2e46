"""The back office in Chromium, served by gunicorn with DEBUG=false on PostgreSQL."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from presences.models import Presence
from tests.browser.conftest import log_in
from tests.factories import ClockFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.live, pytest.mark.browser]


def test_admin_is_styled_and_dashboard_shows_a_running_clock(page, server, staff_user):  # type: ignore[no-untyped-def]
    worker = UserFactory(username="anna", first_name="Anna", last_name="Schmidt")
    clock = ClockFactory(user=worker, started_at=timezone.now() - dt.timedelta(minutes=45))
    worker.clocks_started_at = clock.started_at

    log_in(page, server, staff_user)
    page.steps("dashboard")

    # Styled: the admin's stylesheet arrived, so the header has its coloured background.
    header_bg = page.eval_on_selector("#header", "el => getComputedStyle(el).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    panel = page.locator("section.dashboard-panel", has_text="running McTime clocks")
    assert panel.locator(".count").inner_text() == "1"
    panel.get_by_role("link", name="Anna Schmidt").click()
    page.wait_for_url(re.compile(r"/admin/clock/clock/\d+/change/"))
    page.steps("clock opened from the dashboard")
    # The record's title names the person and says the time in their zone (Berlin).
    started = timezone.localtime(worker.clocks_started_at).strftime("%d.%m.%Y %H:%M")
    assert f"Anna Schmidt: clock since {started}" in page.title()


def test_edit_with_a_validation_error_and_its_fix(page, server, staff_user):  # type: ignore[no-untyped-def]
    UserFactory(username="ben", first_name="Ben", last_name="Weber")
    log_in(page, server, staff_user)

    page.goto(f"{server}/admin/presences/presence/add/")
    # The user picker searches by name (an autocomplete, for hundreds of users).
    page.click("#id_user + .select2 .select2-selection")
    page.fill(".select2-search__field", "Weber")
    page.click(".select2-results__option >> text=Ben Weber (ben)")
    page.fill("#id_date", "04.03.2026")
    page.fill("#id_from_time", "12:00")
    page.fill("#id_to_time", "08:00")
    page.click("input[name=_save]")
    page.steps("validation error")
    assert page.locator(".errorlist").count() >= 1
    assert Presence.objects.count() == 0

    page.fill("#id_to_time", "16:30")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/presences/presence/$"))
    page.steps("saved")
    presence = Presence.objects.get()
    assert (presence.date, presence.from_time, presence.to_time) == (
        dt.date(2026, 3, 4),
        dt.time(12),
        dt.time(16, 30),
    )


def test_german_back_office(page, german_server, staff_user):  # type: ignore[no-untyped-def]
    log_in(page, german_server, staff_user, submit="Anmelden")
    page.steps("German dashboard")
    body = page.text_content("body")
    assert "Heute auf einen Blick" in body
    assert "MOCO-Anwesenheiten" in body
    assert "Huddle-Abwesenheiten" in body
    assert "Abmelden" in body


def test_landing_page_and_view_site(page, server, staff_user):  # type: ignore[no-untyped-def]
    log_in(page, server, staff_user)
    page.get_by_role("link", name="View site").click()
    page.wait_for_url(f"{server}/")
    page.steps("landing page")
    assert page.get_by_role("link", name="Back office").is_visible()
    page.get_by_role("link", name="Health check").click()
    assert page.locator("body").inner_text().strip() != ""


def test_api_docs_render_operations_without_network(page, server):  # type: ignore[no-untyped-def]
    outside: list[str] = []

    def only_this_server(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto(f"{server}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    page.steps("swagger ui")
    assert page.locator(".opblock").count() > 10
    assert outside == []


def test_forgotten_clock_out_closed_by_the_bulk_action(page, server, staff_user):  # type: ignore[no-untyped-def]
    worker = UserFactory(username="carl", first_name="Carl", last_name="Vergessen")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    forgotten = Presence.objects.create(
        user=worker, date=yesterday, from_time=dt.time(8), to_time=None
    )
    log_in(page, server, staff_user)

    page.locator("section.dashboard-panel", has_text="Forgotten clock-outs").get_by_role(
        "link", name="Forgotten clock-outs"
    ).click()
    page.steps("forgotten clock-outs listed")
    page.check(f"input[name=_selected_action][value='{forgotten.pk}']")
    page.select_option("select[name=action]", "close_open_presences")
    page.click("button[name=index]")
    page.fill("#id_end_time", "16:45")
    page.steps("end time asked")
    page.click("#end-time-form input[type=submit]")
    page.wait_for_selector(".messagelist")
    page.steps("closed")
    assert "Closed 1 record." in page.text_content(".messagelist")
    forgotten.refresh_from_db()
    assert forgotten.to_time == dt.time(16, 45)
