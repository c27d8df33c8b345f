"""CQL2 CASEI and ACCENTI on Turkish names, through OGC API Features over HTTP.

PostgreSQL's lower() maps 'I' to 'i', so a plain lower() never matches 'IŞIK' to 'Işık'; Kent's
CASEI folds I/ı and İ/i the Turkish way on both sides, and ACCENTI goes through unaccent."""

import json
from collections.abc import Iterator

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from geo.models import Feature, Layer
from ogc import snapshot

from .conftest import _themes

ITEMS = "/ogc/collections/yer-adlari/items"
NAMES = ["Işık", "ışıklı", "izmir", "İzmir Caddesi", "Çağlayan", "Caglayan Sokak", "Ilgaz", "ilgaz"]


@pytest.fixture
def places(db) -> Iterator[Layer]:
    _themes()
    layer = Layer.objects.create(slug="yer-adlari", title_tr="Yer adları", theme_id="AY",
                                 geometry_family="point", access_level="public",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}})
    for i, name in enumerate(NAMES):
        Feature.objects.create(layer=layer, geom=Point(32.8 + i / 1000, 39.9, srid=4326), properties={"ad": name})
    yield layer
    snapshot.forget()


def names(api: Client, cql: str) -> list[str]:
    response = api.get(ITEMS, {"filter": cql, "limit": 100})
    assert response.status_code == 200, response.content[:300]
    return sorted(f["properties"]["ad"] for f in response.json()["features"])


def test_casei_folds_dotless_and_dotted_i_the_turkish_way(places, api):
    assert names(api, "CASEI(ad) = CASEI('IŞIK')") == ["Işık"]
    assert names(api, "CASEI(ad) = CASEI('işık')") == []  # dotted i is another letter in Turkish
    assert names(api, "CASEI(ad) = CASEI('İZMİR')") == ["izmir"]
    assert names(api, "CASEI(ad) = CASEI('IZMIR')") == []  # ... and dotless I is not i
    assert names(api, "CASEI(ad) LIKE 'ışık%'") == ["Işık", "ışıklı"]
    assert names(api, "CASEI(ad) LIKE 'izmir%'") == ["izmir", "İzmir Caddesi"]
    assert names(api, "CASEI(ad) = CASEI('ILGAZ')") == ["Ilgaz"]  # both fold to 'ılgaz', not 'ilgaz'
    assert names(api, "CASEI(ad) = CASEI('İLGAZ')") == ["ilgaz"]


def test_accenti_matches_without_diacritics(places, api):
    assert names(api, "ACCENTI(ad) = ACCENTI('Caglayan')") == ["Çağlayan"]
    assert names(api, "ACCENTI(ad) = ACCENTI('Çağlayan Sokak')") == ["Caglayan Sokak"]
    assert names(api, "ad = 'Caglayan'") == []  # without ACCENTI the cedilla counts
    assert names(api, "CASEI(ACCENTI(ad)) = CASEI(ACCENTI('CAĞLAYAN'))") == ["Çağlayan"]


def test_cql2_json_spelling_and_unknown_functions(places, api):
    body = {"op": "=", "args": [{"op": "casei", "args": [{"property": "ad"}]},
                                {"op": "casei", "args": ["IŞIK"]}]}
    response = api.get(ITEMS, {"filter": json.dumps(body), "filter-lang": "cql2-json"})
    assert response.status_code == 200
    assert [f["properties"]["ad"] for f in response.json()["features"]] == ["Işık"]
    assert api.get(ITEMS, {"filter": "UPPER(ad) = 'X'"}).status_code == 400


def test_both_comparisons_are_advertised(places, api):
    classes = api.get("/ogc/conformance").json()["conformsTo"]
    base = "http://www.opengis.net/spec/cql2/1.0/conf/"
    assert f"{base}case-insensitive-comparison" in classes
    assert f"{base}accent-insensitive-comparison" in classes
