"""Browser tests: the app on a live local server, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from extensions import db
from tests.helpers import IN_CI, make_app

CHROMIUM = Path("/usr/bin/chromium")
# Without these flags Chromium keeps trying to reach Google services on a closed network.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; skipped where it is missing (never under CI)."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("Chromium must be installed under CI=true (apt-get install chromium)")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def live_application(seeded_db_file, tmp_path_factory):
    """The app behind ``live_server``: its database (a copy of the demo) and its outbox."""
    copy = tmp_path_factory.mktemp("live") / "app.db"
    shutil.copy(seeded_db_file, copy)
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}")


@pytest.fixture(scope="session")
def live_server(live_application):
    """The app with the demo catalogue, served on 127.0.0.1 at a free port."""
    application = live_application
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) with console errors collected."""
    context = browser.new_context(base_url=live_server, locale="ru-RU")
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    yield tab
    context.close()
