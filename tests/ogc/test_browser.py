"""Kent's OGC HTML pages in headless Chromium: every page works with no request leaving this
machine (no CDN, no outside tile server), maps draw the data, and nothing fails in the console."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import missing

from .conftest import live_data

pytestmark = [pytest.mark.browser, live_data]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAGES = [
    "/ogc/?f=html",
    "/ogc/collections?f=html",
    "/ogc/collections/binalar?f=html",
    "/ogc/collections/binalar/items?f=html&limit=50",
    "/ogc/collections/binalar/queryables?f=html",
    "/ogc/collections/binalar/schema?f=html",
    "/ogc/collections/yapilar/items?f=html",
    "/ogc/collections/katalog/items?f=html",
    "/ogc/collections/katalog/items?f=html&q=yap%C4%B1",
    "/ogc/collections/katalog/items/binalar?f=html",
    "/ogc/conformance?f=html",
    "/ogc/openapi?f=html",
    "/ogc/openapi?f=html&ui=redoc",
    "/ogc/collections/yok?f=html",
    "/ogc/?f=html&lang=en",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def test_pages_use_local_assets_only(live_server, world, chromium):
    context = chromium.new_context(locale="tr-TR")
    page = context.new_page()
    outside: list[str] = []
    local_failures: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in
            {"127.0.0.1", "localhost"} and not r.url.startswith(("data:", "blob:", "about:")) else None)
    page.on("response", lambda r: local_failures.append(f"{r.status} {r.url}")
            if r.status >= 400 and "/tiles/" not in r.url and "/collections/yok" not in r.url else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in PAGES:
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status == (404 if "/yok" in path else 200), path
    page.goto(live_server.url + "/ogc/collections/binalar/items?f=html&limit=50")
    page.wait_for_load_state("networkidle")
    assert page.locator("#ogc-map .leaflet-overlay-pane path").count() == 50  # the buildings are drawn
    page.goto(live_server.url + "/ogc/openapi?f=html")
    page.wait_for_selector(".ogc-op")
    assert page.locator(".ogc-op").count() > 10
    page.goto(live_server.url + "/ogc/collections/katalog/items?f=html&q=toplanma")
    assert "Afet toplanma alanları" in page.content()
    context.close()
    assert outside == [], outside
    assert local_failures == [], local_failures
    assert errors == [], errors
