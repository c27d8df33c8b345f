"""The catalogue (OGC API Records) honours CQL2 `filter` over its records and refuses what it
cannot answer with a 400, as feature collections do; unknown parameters are 400s everywhere."""

import json

import pytest

CATALOGUE = "/ogc/collections/katalog/items"
ALL = {"binalar", "yapilar", "toplanma-alanlari", "riskli-yapilar"}


def found(api, **params) -> set[str]:
    response = api.get(CATALOGUE, {"limit": "100", **params})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["numberMatched"] == len(body["features"])
    return {r["id"] for r in body["features"]}


@pytest.mark.parametrize(("cql", "ids"), [
    ("title = 'Binalar'", {"binalar"}),
    ("CASEI(title) = CASEI('YAPILAR')", {"yapilar"}),  # Turkish I: 'YAPILAR' is 'yapılar', not 'yapilar'
    ("ACCENTI(CASEI(title)) = 'yapilar'", {"yapilar"}),
    ("theme = 'DR' AND access = 'agency'", {"toplanma-alanlari", "riskli-yapilar"}),
    ("NOT (theme = 'DR') OR title LIKE 'Afet%'", {"binalar", "yapilar", "toplanma-alanlari"}),
    ("CASEI(description) LIKE '%osm%'", {"binalar"}),
    ("keywords = 'bina'", {"binalar"}),  # an array property equals a value when one of its items does
    ("keywords <> 'bina'", ALL - {"binalar"}),
    ("keywords LIKE 'MA%' OR keywords IN ('afet')", {"yapilar", "toplanma-alanlari"}),
    ("themes = 'BI'", {"yapilar"}),
    ("theme IN ('AK', 'BI')", {"binalar", "yapilar"}),
    ("type = 'dataset' AND updated > TIMESTAMP('2000-01-01T00:00:00Z')", ALL),
    ("updated < TIMESTAMP('2000-01-01T00:00:00Z')", set()),
    ("license IS NULL", ALL - {"binalar"}),
    ("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1, 0 0)))", set()),
])
def test_cql2_text_filters_records(world, api, cql, ids):
    assert found(api, filter=cql) == ids


def test_cql2_json_in_the_query_and_in_a_post_body(world, api):
    cql = json.dumps({"op": "=", "args": [{"property": "theme"}, "AK"]})
    assert found(api, filter=cql, **{"filter-lang": "cql2-json"}) == {"binalar"}
    overlaps = json.dumps({"op": "a_overlaps", "args": [{"property": "keywords"}, ["MAKS", "afet"]]})
    assert found(api, filter=overlaps, **{"filter-lang": "cql2-json"}) == {"yapilar", "toplanma-alanlari"}
    response = api.post(f"{CATALOGUE}?limit=100", cql, content_type="application/json")
    assert response.status_code == 200
    assert {r["id"] for r in response.json()["features"]} == {"binalar"}


def test_filter_combines_with_q_and_shows_in_html(world, api):
    assert found(api, q="yapı", filter="access = 'public'") == {"yapilar"}
    page = api.get(CATALOGUE, {"f": "html", "filter": "theme = 'AK'"})
    assert page.status_code == 200
    assert "Binalar" in page.content.decode() and "Afet toplanma" not in page.content.decode()


@pytest.mark.parametrize(("params", "words"), [
    ({"filter": "yok_boyle = 1"}, "yok_boyle"),
    ({"filter": "title = 1"}, "karşılaştırılamaz"),
    ({"filter": "title = "}, "CQL2"),
    ({"filter": "keywords > 'bina'"}, "A_CONTAINS"),
    ({"filter": "title = 'x'", "filter-lang": "ecql"}, "filter-lang"),
    ({"filter": "S_INTERSECTS(geometry, POINT(1 2))", "filter-crs": "EPSG:5255"}, "CRS84"),
    ({"filter": "title + 1 = 2"}, "CQL2"),
    ({"bilinmeyen": "1"}, "bilinmeyen"),
    ({"malik_adi": "x"}, "malik_adi"),
])
def test_bad_catalogue_requests_are_clear_400s(world, api, params, words):
    for fmt in ("json", "html"):
        response = api.get(CATALOGUE, {**params, "f": fmt})
        assert response.status_code == 400, (params, fmt, response.content[:300])
        if fmt == "json":
            body = response.json()
            assert body["code"] == "InvalidParameterValue" and words in body["description"], body


def test_unknown_parameters_are_400_on_every_items_and_item_url(world, api):
    feature_id = api.get("/ogc/collections/binalar/items?limit=1").json()["features"][0]["id"]
    for url in (CATALOGUE, "/ogc/collections/binalar/items", "/ogc/collections/yapilar/items",
                "/ogc/collections/katalog/items/binalar", f"/ogc/collections/binalar/items/{feature_id}"):
        for fmt in ("json", "html"):
            response = api.get(url, {"bilinmeyen": "1", "f": fmt})
            assert response.status_code == 400, (url, fmt)
        assert response.status_code == 400 and api.get(url).status_code == 200, url
        assert api.get(url, {"bilinmeyen": "1"}).json()["code"] == "InvalidParameterValue"


def test_non_utf8_bodies_and_other_methods_are_never_500(world, api):
    for url in (CATALOGUE, "/ogc/collections/binalar/items"):
        for fmt in ("json", "html"):
            response = api.post(f"{url}?f={fmt}", b"\xff\xfe{\"op\": \x80}", content_type="application/json")
            assert response.status_code == 400, (url, fmt, response.content[:200])
        assert "UTF-8" in api.post(url, b"\xff", content_type="application/json").json()["description"]
        for method in (api.put, api.delete, api.patch):
            response = method(url, b"\xff\xfe", content_type="application/json")
            assert response.status_code == 405, (url, method)
            assert "GET" in response["Allow"]


def test_nul_characters_are_a_400_even_on_a_logged_agency_request(world, api):
    for params in ({"ad": "x\x00"}, {"x\x00": "1"}):
        response = api.get("/ogc/collections/toplanma-alanlari/items", params,
                           HTTP_AUTHORIZATION=f"Bearer {world.afad_token}")
        assert response.status_code == 400 and "NUL" in response.json()["description"]
