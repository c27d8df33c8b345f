"""Fixtures of the city guide's tests: the demo district (build_demo), a kiosk, and the browser
harness shared with tests/browser (headless Debian Chromium that records and blocks every request
that would leave 127.0.0.1, and saves screenshots to test-artifacts/)."""

import os
from collections.abc import Iterator
from urllib.request import urlopen

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import transaction

# Playwright's sync API runs an asyncio loop in the test thread; Django's ORM calls from that
# thread are safe here (the loop only talks to Chromium).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from geo.models import TucbsTheme  # noqa: E402
from geo.tucbs_catalogue import THEMES  # noqa: E402
from numarataj.services.matching import get_index as matcher_index  # noqa: E402
from rehber.index import get_index as guide_index  # noqa: E402
from rehber.models import Kiosk  # noqa: E402
from smartcity.kinds import sync_kinds  # noqa: E402
from smartcity.models import AssetKind  # noqa: E402
from tests.browser.conftest import ARTIFACTS, browser_page, chromium, live_data  # noqa: E402,F401

KIOSK_AT = (32.92005, 39.86020)  # lon, lat: by Gazi Meydanı in the demo district


def catalogue() -> None:
    """The rows migrations create that build_demo needs (TUCBS themes, asset kinds); a transactional
    test before this one may have flushed them, so they are put back (idempotently)."""
    for theme in THEMES:
        TucbsTheme.objects.update_or_create(code=theme["code"], defaults={
            k: theme[k] for k in ("name_tr", "name_en", "required_attributes")})
    sync_kinds(AssetKind)


def build_demo() -> None:
    catalogue()
    call_command("build_demo", "--replace", verbosity=0)


def make_kiosk(idle_seconds: int = 90, kiosk_id: str = "gazi-meydani") -> Kiosk:
    return Kiosk.objects.create(kiosk_id=kiosk_id, name="Gazi Meydanı kiosku", location=Point(*KIOSK_AT, srid=4326),
                                idle_seconds=idle_seconds, home_zoom=17)


@pytest.fixture(autouse=True)
def _fresh_indexes(settings) -> None:
    """Data change between tests: let the guide's and the matcher's indexes see it at once."""
    settings.KENT_REHBER_REFRESH_SECONDS = 0
    settings.KENT_MATCH_REFRESH_SECONDS = 0


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo district, built once for a module of database tests and rolled back after it
    (each test runs in a savepoint inside this transaction)."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def live_demo(transactional_db, live_server) -> Kiosk:
    """The demo district committed for the live server, and a kiosk by Gazi Meydanı with a short idle time.

    The server is warmed as a running one would be: the first request of a fresh process imports
    every app's URL module (Mapnik, pygeoapi: seconds, once per process, not per visitor) and the
    guide's indexes are built, so the browser measures what a visitor waits for."""
    build_demo()
    kiosk = make_kiosk(idle_seconds=2)
    with urlopen(f"{live_server.url}/rehber/", timeout=30) as response:
        assert response.status == 200
    guide_index()
    matcher_index()
    return kiosk
