"""Browser tests: Kent's live test server driven by headless Debian Chromium through Playwright.

Only 127.0.0.1/localhost may be contacted: every other request is aborted and recorded, and the
tests fail on any (Kent must work air-gapped, with no CDN or outside tile server)."""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.conftest import missing
from tests.mapnik_db import _close_mapnik_connections  # noqa: F401 - the editor's base map is rendered by Mapnik

from .register_district import lale_district  # noqa: F401 - the register office's district, shared

# Playwright's sync API keeps an asyncio loop running in the test thread; Django then refuses ORM
# calls from that thread unless told they are safe. They are: the loop only talks to Chromium.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 20_000   # generous: the suite shares the machine with other test runs
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# The live server needs committed data, so these tests use a transactional database that Django
# flushes afterwards. Naming every app as available makes that flush TRUNCATE … CASCADE, which
# also empties unmanaged tables that reference managed ones (smartcity's partitioned
# observations); without it the flush fails. Nothing is hidden: the list is all installed apps.
live_data = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))


@dataclass
class BrowserPage:
    page: object
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)   # URLs answered with 4xx/5xx

    def broken_assets(self, *prefixes: str) -> list[str]:
        return [u for u in self.failed if any(urlsplit(u).path.startswith(p) for p in prefixes)]

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium) -> Iterator[BrowserPage]:
    """A fresh Turkish-locale page that records (and blocks) anything not on this machine."""
    context = chromium.new_context(locale="tr-TR", viewport={"width": 1280, "height": 860})
    session = BrowserPage(context.new_page())
    session.page.on("request", lambda request: None if is_local(request.url) else session.outside.append(request.url))
    session.page.on("response", lambda r: session.failed.append(r.url) if r.status >= 400 else None)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    session.page.set_default_timeout(TIMEOUT_MS)
    yield session
    context.close()


@pytest.fixture
def kent_catalogue(transactional_db) -> None:
    """The TUCBS themes and roles the data migration creates; a transactional test before this
    one may have flushed them, so they are put back (idempotently)."""
    from django.contrib.auth.models import Group

    from geo.models import TucbsTheme
    from geo.tucbs_catalogue import THEMES

    for theme in THEMES:
        TucbsTheme.objects.update_or_create(code=theme["code"], defaults={
            k: theme[k] for k in ("name_tr", "name_en", "required_attributes")})
    for role in ("CBS Editörü", "Numarataj Memuru", "Kurum Kullanıcısı", "Yönetici"):
        Group.objects.get_or_create(name=role)
