"""A real browser against the production stack: gunicorn with DEBUG=false on PostgreSQL.

Playwright drives the system's Chromium (Debian's `chromium` package; `scripts/ensure-chromium`
installs it): Playwright's own browser downloads are not used. Each test's steps are
screenshotted; the screenshots of a failed test are kept in `var/browser-artifacts/`.
"""

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import ROOT, start_gunicorn

# Playwright's sync API keeps an event loop running in the test thread for the whole session;
# the tests' own ORM calls (setting up data, the database flush between tests) are still
# plain synchronous code, which Django would otherwise refuse next to a running loop. The
# project has no async code for this check to guard.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = ROOT / "var" / "browser-artifacts"
# Chromium as a headless test browser on a machine without a network beyond loopback: no
# sandbox (tests run as root in CI), no background connections that would only time out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-long-test-password-123"


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Without Chromium the browser tests skip locally; CI (CI=true) must have it."""
    if chromium_executable() or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="no Chromium: run scripts/ensure-chromium")
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if executable is None:
        pytest.fail("Chromium is not installed: run scripts/ensure-chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serve(extra_env: dict[str, str] | None = None) -> Iterator[str]:
    process, base = start_gunicorn(with_project_config=True, extra_env=extra_env)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


# One server per session: each test commits its own data (transactional_db), which the
# server reads, and the database is flushed between tests.
@pytest.fixture(scope="session")
def _english_server(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _serve()


@pytest.fixture(scope="session")
def _german_server(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _serve({"LANGUAGE_CODE": "de"})


@pytest.fixture
def server(_english_server, transactional_db) -> str:  # type: ignore[no-untyped-def]
    return _english_server


@pytest.fixture
def german_server(_german_server, transactional_db) -> str:  # type: ignore[no-untyped-def]
    return _german_server


class Steps:
    """Screenshots each step of a test into a scratch folder, kept only if the test fails."""

    def __init__(self, page, folder: Path) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.folder = folder
        self.count = 0

    def __call__(self, name: str) -> None:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{slug}.png"), full_page=True)


@pytest.fixture
def page(browser, request) -> Iterator:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    scratch = Path(tempfile.mkdtemp(prefix="browser-steps-"))
    page.steps = Steps(page, scratch)
    yield page
    context.close()
    if getattr(request.node, "browser_failed", False):
        target = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(scratch), target)
    else:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def staff_user(transactional_db):  # type: ignore[no-untyped-def]
    from tests.factories import AdminFactory

    user = AdminFactory(
        username="hr", first_name="Hanna", last_name="Roth", is_staff=True, is_superuser=True
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, base: str, user, *, submit: str = "Log in") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.steps("login form")
    page.click(f"input[type=submit][value='{submit}']")
    page.wait_for_url(f"{base}/admin/")
