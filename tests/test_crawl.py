"""An anonymous crawl of every URL pattern Kent serves: no 500, and no byte of an agency or an
internal layer's data, whatever the format (HTML, JSON, MVT, GeoPackage, zip, CSV).

The patterns come from `kent.urls` itself (walked recursively), so a new page or outlet is
crawled without an edit here; path parameters are filled with real values (layer slugs, feature
ids, the tile over the data, guide categories). A public layer's marker must be found too, in the
places that publish it: that proves the decoders below read what they are given."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver

from tests.crawl import AGENCY_MARKER, ANONYMOUS_OK, INTERNAL_MARKER, NOT_CRAWLED, PUBLIC_MARKER, patterns, texts, urls

SECRETS = (AGENCY_MARKER, INTERNAL_MARKER)


@pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))
def test_anonymous_crawl_of_every_pattern(crawl_world):
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    seen_public: set[str] = set()
    crawled = 0
    for route, pattern in patterns(get_resolver()):
        if route in NOT_CRAWLED:
            continue
        for url in urls(route, pattern.name, crawl_world):
            response = client.get(url)
            crawled += 1
            if response.status_code not in ANONYMOUS_OK:
                failures.append(f"{url} -> {response.status_code}")
                continue
            text = texts(response)
            for marker in SECRETS:
                if marker in text:
                    failures.append(f"{url} -> {response.status_code} shows {marker}")
            if PUBLIC_MARKER in text:
                seen_public.add(pattern.name or route)
    assert crawled > 300
    assert {"ogc-items", "tiles-mvt", "geo-layer-export"} <= seen_public, seen_public
    assert not failures, "\n".join(failures)
