"""Fixtures of the OGC tests: the real OSM buildings of ../shared/data in a public feature-store
layer, some of them as typed numarataj Yapı rows, agency layers (one in the Afet Bilgi Bankası
group, one alone), an internal layer, a registry row pointing at a never-published model, and two
agency accounts with tokens: AFAD (the group) and a utility (the lone layer).

Tests that run a server (GDAL, OWSLib, Chromium, gunicorn) need committed data: they use
`live_data`, a transactional database flushed afterwards."""

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.test import Client

from geo.models import AgencyAccount, Feature, Layer, LayerGroup, TucbsTheme
from geo.services.agency_access import issue_token
from numarataj.models import Yapi
from ogc import snapshot
from tests.conftest import SHARED_HINT, missing

# Playwright's sync API keeps an asyncio loop in the test thread; the ORM calls of live-server
# fixtures are safe (the loop only talks to Chromium).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SHARED_OSM = Path(__file__).resolve().parents[3] / "shared" / "data" / "ankara-bahcelievler.osm"
BBOX = (32.812, 39.926, 32.825, 39.934)  # the peers' bbox: 574 buildings
live_data = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))


@pytest.fixture(autouse=True)
def ogc_urls(settings) -> None:  # noqa: ANN001 - pytest-django's settings fixture
    settings.ROOT_URLCONF = "tests.ogc.urls"


@pytest.fixture(scope="session")
def osm_buildings(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The OSM buildings (1,461) as GeoJSON features, read with ogr2ogr like the peer benchmark."""
    if not SHARED_OSM.exists():
        missing(f"shared OSM data not found at {SHARED_OSM}: {SHARED_HINT}")
    out = tmp_path_factory.mktemp("osm") / "buildings.geojson"
    subprocess.run(["ogr2ogr", "-f", "GeoJSON", str(out), str(SHARED_OSM), "multipolygons", "-where",
                    "building IS NOT NULL", "-select", "osm_id,osm_way_id,name,building,amenity", "-nlt",
                    "MULTIPOLYGON"], check=True, capture_output=True)
    return json.loads(out.read_text())["features"]


@dataclass
class World:
    buildings: Layer
    yapilar: Layer
    assembly: Layer
    risky: Layer
    internal: Layer
    requests_layer: Layer
    afad_token: str
    utility_token: str
    n_buildings: int
    extra: dict[str, Any] = field(default_factory=dict)


def _themes() -> None:
    """The themes the data migration creates (a transactional test before may have flushed them)."""
    from geo.tucbs_catalogue import THEMES

    for theme in THEMES:
        TucbsTheme.objects.update_or_create(code=theme["code"], defaults={
            k: theme[k] for k in ("name_tr", "name_en", "required_attributes")})


@pytest.fixture
def world(db, osm_buildings: list[dict[str, Any]]) -> Iterator[World]:
    _themes()
    string = {"type": "string"}
    buildings = Layer.objects.create(
        slug="binalar", title_tr="Binalar", title_en="Buildings", theme_id="AK", geometry_family="polygon",
        access_level="public", abstract="OSM bina taban alanları (Bahçelievler).", keywords=["bina", "OSM"],
        licence="ODbL 1.0", responsible_party="CBS Müdürlüğü",
        attribute_schema={"properties": {"osm_id": string, "osm_way_id": string, "name": string,
                                         "building": string, "amenity": string, "kat": {"type": "integer"},
                                         "malik_adi": string}})
    rows = []
    for i, f in enumerate(osm_buildings):
        props = {k: v for k, v in f["properties"].items() if v is not None}
        props.update(kat=1 + i % 7, malik_adi="Ayşe Yılmaz")
        rows.append(Feature(layer=buildings, geom=GEOSGeometry(json.dumps(f["geometry"]), srid=4326),
                            properties=props))
    Feature.objects.bulk_create(rows, batch_size=500)

    yapilar = Layer.objects.create(slug="yapilar", title_tr="Yapılar", title_en="Structures", theme_id="BI",
                                   geometry_family="polygon", access_level="public", source="numarataj.Yapi",
                                   abstract="MAKS yapıları.", keywords=["yapı", "MAKS"])
    Yapi.objects.bulk_create([
        Yapi(ad=f["properties"].get("name") or "", kat_ust=1 + i % 9, osm_id=int(f["properties"].get("osm_way_id") or 0)
             or None, geom=MultiPolygon(*GEOSGeometry(json.dumps(f["geometry"]), srid=4326)))
        for i, f in enumerate(osm_buildings[:300])])

    group = LayerGroup.objects.create(slug="afet-bilgi-bankasi", title_tr="Afet Bilgi Bankası")
    assembly = Layer.objects.create(
        slug="toplanma-alanlari", title_tr="Afet toplanma alanları", title_en="Assembly areas", theme_id="DR",
        geometry_family="point", access_level="agency", group=group, abstract="AFAD toplanma alanları.",
        keywords=["afet", "toplanma"],
        attribute_schema={"properties": {"ad": string, "risk_turu": string, "kapasite": {"type": "integer"},
                                         "tespit": {"type": "string", "format": "date-time"}},
                          "time_field": "tespit"})
    for i in range(12):
        Feature.objects.create(layer=assembly, geom=Point(32.81 + i * 0.002, 39.93, srid=4326), properties={
            "ad": f"Toplanma alanı {i}", "risk_turu": "deprem", "kapasite": 100 * (i + 1),
            "tespit": f"2024-{1 + i:02d}-15T10:00:00+03:00"})
    risky = Layer.objects.create(slug="riskli-yapilar", title_tr="Riskli yapılar", theme_id="DR",
                                 geometry_family="polygon", access_level="agency",
                                 attribute_schema={"properties": {"risk_turu": string, "tckn": string}})
    for f in osm_buildings[:20]:
        Feature.objects.create(layer=risky, geom=GEOSGeometry(json.dumps(f["geometry"]), srid=4326),
                               properties={"risk_turu": "deprem", "tckn": "12345678901"})
    internal = Layer.objects.create(slug="ic-katman", title_tr="İç katman", theme_id="AY",
                                    geometry_family="point", access_level="internal")
    Feature.objects.create(layer=internal, geom=Point(32.82, 39.93, srid=4326), properties={"not": "gizli"})
    requests_layer = Layer.objects.create(slug="tespit-talepleri", title_tr="Adres tespit talepleri",
                                          theme_id="AD", geometry_family="point", access_level="public",
                                          source="numarataj.AdresTespitTalebi")
    Layer.objects.create(slug="taslak", title_tr="Yayında olmayan", theme_id="AY", geometry_family="point",
                         access_level="public", published=False)

    afad = AgencyAccount.objects.create(name="AFAD Ankara", contact_email="cbs@afad.example")
    afad.layer_groups.add(group)
    utility = AgencyAccount.objects.create(name="Başkent Doğalgaz")
    utility.layers.add(risky)
    yield World(buildings=buildings, yapilar=yapilar, assembly=assembly, risky=risky, internal=internal,
                requests_layer=requests_layer, afad_token=issue_token(afad, label="test")[1],
                utility_token=issue_token(utility, label="test")[1], n_buildings=len(rows))
    snapshot.forget()


@pytest.fixture
def api() -> Client:
    """A client that asks for JSON like a GIS tool does."""
    return Client(HTTP_ACCEPT="application/json")
