"""Playwright (Python) driving Debian's Chromium against the app served by pytest-django's live_server.

`make test` installs /usr/bin/chromium when it is missing (and axe-core with `npm ci`); these
tests are skipped only when Chromium is still absent. Never `playwright install`: the browser
is the system's own, launched with the flags below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sro.orgs.demo import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1280, "height": 900}
PASSWORD = DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves (loading the demo, moving a meeting date) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent and could not be installed (make test runs apt-get install chromium)",
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def app(live_server: Any, transactional_db: Any) -> str:
    """The demo scenario served at a live URL (the `demo` state, committed; emptied after each test)."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/screenshots with `make screenshots`, a temporary folder otherwise,
    so that running the tests changes no tracked file."""
    if os.environ.get("SRO_SCREENSHOTS") == "docs":
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


class Page:
    """A browser tab that records console errors and Content-Security-Policy violations."""

    def __init__(
        self, browser: Any, base: str, screenshots: Path, *, locale: str = "en-US", bypass_csp: bool = False
    ) -> None:
        self.screenshots = screenshots
        self.context = browser.new_context(viewport=VIEWPORT, locale=locale, bypass_csp=bypass_csp)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def sign_in(self, username: str) -> Any:
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/")
        return self.page

    def shot(self, name: str) -> None:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{name}.png"
        self.page.screenshot(path=str(path))
        assert path.stat().st_size > 0, f"the screenshot {name} is empty"

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e or "Content-Security-Policy" in e]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, app: str, screenshots: Path) -> Iterator[Any]:
    opened: list[Page] = []

    def make(**kwargs: Any) -> Page:
        page = Page(browser, app, screenshots, **kwargs)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.close()
