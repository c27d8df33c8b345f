"""Personal data never leaves Kent, by any outlet, for the public or for an agency.

A public feature-store layer declares personal keys, another carries them undeclared, and a typed
register model is told (for this test) that one of its fields is personal; each holds a unique
value. Every URL pattern Kent serves (walked from `kent.urls`, as the anonymous crawl does) is
fetched anonymously and with an agency token, and every answer is decoded whatever its format
(JSON, HTML, MVT, GeoPackage, zip, CSV): none may contain a personal value. A new outlet that
does not ask the publication policy is crawled without an edit here, and fails it. The public
values are found where they are published, which proves the decoders read what they are given."""

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import Client
from django.urls import get_resolver

from geo.models import AgencyAccount, Feature, Layer
from geo.services.agency_access import issue_token
from geo.sources import ModelSource, registry, spec_for
from numarataj.models import Yapi
from tests.crawl import NOT_CRAWLED, QUERIES, Crawl, patterns, texts, urls

PERSONAL = {"tckn": "98765432109", "telefon": "05329990011", "malik_adi": "Zeynep Kişisel-Veri",
            "eposta": "gizli.kisi@ornek.tr"}
TYPED_PERSONAL = "Yapı Sahibi Kişisel-Ad"
PUBLIC_NAME = "Açık Bilgi Eczanesi"
LON, LAT = 32.8205, 39.9305


@pytest.fixture
def leaky_world(crawl_world, monkeypatch, settings) -> tuple[Crawl, str]:
    """The crawl's world plus public layers holding personal data; returns it and an agency token."""
    settings.KENT_REHBER_REFRESH_SECONDS = 0  # the guide's index sees this world, not a previous test's
    declared = Layer.objects.get(slug="eczaneler")
    declared.attribute_schema = {"properties": {"ad": {"type": "string"}, "tur": {"type": "string"},
                                                **{k: {"type": "string"} for k in PERSONAL}}}
    declared.save()
    pharmacy = Feature.objects.create(layer=declared, geom=Point(LON + 3e-4, LAT, srid=4326),
                                      properties={"ad": PUBLIC_NAME, "tur": "eczane", **PERSONAL})
    loose = Layer.objects.create(slug="okullar", title_tr="Okullar", theme_id="AY", geometry_family="point",
                                 access_level="public", abstract="okullar")
    Feature.objects.create(layer=loose, geom=Point(LON + 4e-4, LAT, srid=4326),
                           properties={"ad": "Açık Okul", **PERSONAL})
    yapi = spec_for("numarataj.Yapi")
    monkeypatch.setitem(registry._SOURCES, "numarataj.Yapi",
                        ModelSource("numarataj.Yapi", personal=frozenset({"ad"}), editing=yapi.editing))
    Layer.objects.create(slug="yapilar", title_tr="Yapılar", theme_id="BI", geometry_family="polygon",
                         source="numarataj.Yapi", access_level="public", abstract="yapılar")
    box = Polygon.from_bbox((LON - 2e-4, LAT - 2e-4, LON - 1e-4, LAT - 1e-4))
    building = Yapi.objects.create(ad=TYPED_PERSONAL, geom=MultiPolygon(box, srid=4326), kat_ust=3)
    account = AgencyAccount.objects.create(name="Afet Kurumu")
    for layer in Layer.objects.all():
        account.layers.add(layer)
    _, secret = issue_token(account)
    crawl_world.values["slug"] += ["okullar", "yapilar"]
    crawl_world.values["ref"] += [f"y-{building.pk}", f"f-{pharmacy.pk}"]
    monkeypatch.setitem(QUERIES, "rehber-oner", [*QUERIES["rehber-oner"], "?q=Yapı Sahibi", "?q=Zeynep", "?q=0532"])
    return crawl_world, secret


@pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))
def test_no_outlet_carries_personal_data(leaky_world):
    world, secret = leaky_world
    secrets = [*PERSONAL.values(), TYPED_PERSONAL]
    failures: list[str] = []
    seen_public: set[str] = set()
    for who, client in (("anonim", Client(raise_request_exception=False)),
                        ("kurum", Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}"))):
        for route, pattern in patterns(get_resolver()):
            if route in NOT_CRAWLED:
                continue
            for url in urls(route, pattern.name, world):
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"{who} {url} -> {response.status_code}")
                    continue
                text = texts(response)
                failures += [f"{who} {url} shows {s!r}" for s in secrets if s in text]
                if PUBLIC_NAME in text:
                    seen_public.add(pattern.name or route)
    assert {"ogc-items", "tiles-mvt", "geo-layer-export", "wfs", "rehber-kart"} <= seen_public, seen_public
    assert not failures, "\n".join(failures)
