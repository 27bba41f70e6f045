"""What a page costs a phone on a school's shared network: bytes over the wire on a first visit
and on a repeat visit, counted by Chromium itself, and no request to any other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 60 * 1024
REPEAT_VISIT_BUDGET = 15 * 1024
PAGES = ["/", "/professions", "/professions/svarshchik"]


class Wire:
    """Bytes Chromium received (headers and compressed bodies, as on the network) per URL."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event):
        url = self.urls.get(event["requestId"], "?")
        received = int(event["encodedDataLength"])
        # data: URLs (Pico's inline icons) are not fetched; a file from the cache arrives as 0.
        if received and not url.startswith("data:"):
            self.bytes[url] = self.bytes.get(url, 0) + received

    def take(self) -> dict[str, int]:
        """What arrived since the last call, by URL."""
        taken, self.bytes = self.bytes, {}
        return taken


def _visit(page, wire, path) -> dict[str, int]:
    wire.take()
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return wire.take()


@pytest.mark.parametrize("path", PAGES)
def test_first_and_repeat_visit_fit_the_budget(browser, live_server, path):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    wire = Wire(context, page)
    first = _visit(page, wire, path)
    hosts = {urlsplit(url).netloc for url in first}
    assert hosts == {urlsplit(live_server).netloc}, f"requests to other hosts: {hosts}"
    assert sum(first.values()) <= FIRST_LOAD_BUDGET, f"{path}: {sorted(first.items())}"
    # Static files come with a year-long immutable lifetime: a repeat visit fetches the page.
    repeat = _visit(page, wire, path)
    assert sum(repeat.values()) <= REPEAT_VISIT_BUDGET, f"{path}: {sorted(repeat.items())}"
    # (Chromium fetches the favicon outside its page cache; it weighs a few hundred bytes.)
    refetched = [u for u in repeat if "/static/" in u and not u.split("?")[0].endswith(".svg")]
    assert refetched == []
    context.close()


def test_the_chart_library_loads_only_where_a_chart_is_drawn(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    wire = Wire(context, page)
    for path in ("/", "/professions", "/professions/compare", "/professions/svarshchik"):
        assert not any("chart" in url for url in _visit(page, wire, path)), path
    drawn = _visit(page, wire, "/professions/compare?p=tokar&p=povar")
    assert any("chart.umd.min.js" in url for url in drawn)
    context.close()


def test_static_files_are_compressed_and_cached_for_a_year(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    seen = {}
    page.on("response", lambda r: "/static/" in r.url and seen.setdefault(r.url, r))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert seen
    for url, response in seen.items():
        headers = response.all_headers()
        assert "v=" in url, f"{url} has no content hash"
        assert headers["cache-control"] == "public, max-age=31536000, immutable", url
        if url.split("?")[0].endswith((".js", ".css")):
            assert headers.get("content-encoding") in ("br", "gzip"), url
    context.close()
