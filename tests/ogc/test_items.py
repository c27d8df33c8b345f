"""OGC API Features items on real buildings: paging, bbox, CRSs, property filters, CQL2, sorting,
property selection, datetime, and the same answers through pygeoapi's HTML/JSON-LD path."""

import json
import re

import pytest
import shapely.geometry
from django.test import Client
from pyproj import Transformer

from .conftest import BBOX

ITEMS = "/ogc/collections/binalar/items"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"


def get(client: Client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_paging_walks_every_building_once(world, api):
    seen, url, pages = [], f"{ITEMS}?limit=400", 0
    while url:
        page = get(api, url.replace("http://testserver", ""))
        seen += [f["id"] for f in page["features"]]
        nxt = [link["href"] for link in page["links"] if link["rel"] == "next"]
        url, pages = (nxt[0] if nxt else None), pages + 1
    assert pages == 4 and len(seen) == len(set(seen)) == world.n_buildings


def test_number_matched_is_exact_when_cheap_and_left_out_when_not(world, api, settings):
    assert get(api, ITEMS, limit=10)["numberMatched"] == world.n_buildings
    assert get(api, ITEMS, limit=10, bbox=",".join(map(str, BBOX)))["numberMatched"] == 574
    last = get(api, ITEMS, limit=1000, offset=1000)
    assert last["numberReturned"] == world.n_buildings - 1000 and last["numberMatched"] == world.n_buildings
    settings.KENT_OGC_COUNT_CAP = 1000
    page = get(api, ITEMS, limit=10)
    assert "numberMatched" not in page and any(link["rel"] == "next" for link in page["links"])


def test_bbox_matches_shapely(world, api, osm_buildings):
    box = shapely.geometry.box(*BBOX)
    expected = sum(shapely.geometry.shape(f["geometry"]).intersects(box) for f in osm_buildings)
    page = get(api, ITEMS, limit=1000, bbox=",".join(map(str, BBOX)))
    assert page["numberReturned"] == expected == 574
    assert all(shapely.geometry.shape(f["geometry"]).intersects(box) for f in page["features"])


@pytest.mark.parametrize("srid", [3857, 5255, 4326])
def test_crs_output_matches_pyproj(world, api, srid):
    plain = get(api, ITEMS, limit=5)
    moved = api.get(ITEMS, {"limit": 5, "crs": EPSG.format(srid)})
    assert moved.status_code == 200 and moved["Content-Crs"] == f"<{EPSG.format(srid)}>"
    to = Transformer.from_crs(4326, srid)  # authority axis order: 4326 and TUREF zones are north first
    for a, b in zip(plain["features"], moved.json()["features"], strict=True):
        lon, lat = a["geometry"]["coordinates"][0][0][0]
        x, y = b["geometry"]["coordinates"][0][0][0]
        ex, ey = to.transform(lat, lon)
        tolerance = 1e-6 if srid == 4326 else 0.01
        assert abs(x - ex) < tolerance and abs(y - ey) < tolerance, (srid, x, y, ex, ey)


def test_bbox_crs_in_tm33_selects_the_same_buildings(world, api):
    to = Transformer.from_crs(4326, 5255)  # lat/lon in, northing/easting out
    n1, e1 = to.transform(BBOX[1], BBOX[0])
    n2, e2 = to.transform(BBOX[3], BBOX[2])
    page = get(api, ITEMS, limit=1000, bbox=f"{n1},{e1},{n2},{e2}", **{"bbox-crs": "EPSG:5255"})
    assert abs(page["numberReturned"] - 574) <= 3  # the TM33 box is a slightly different shape


def test_property_filter_sortby_properties_skip_geometry(world, api):
    page = get(api, ITEMS, building="university", limit=1000)
    assert page["numberReturned"] == 39 and all(f["properties"]["building"] == "university" for f in page["features"])
    sorted_page = get(api, ITEMS, sortby="-kat,name", limit=50, properties="kat,name", skipGeometry="true")
    kats = [f["properties"]["kat"] for f in sorted_page["features"]]
    assert kats == sorted(kats, reverse=True) and kats[0] == 7
    assert all(set(f["properties"]) == {"kat", "name"} and f["geometry"] is None for f in sorted_page["features"])
    assert get(api, ITEMS, kat=3, limit=1000)["numberMatched"] == sum(1 for i in range(world.n_buildings) if i % 7 == 2)


def test_cql2_text_and_json_give_the_same_answer(world, api):
    text = "kat >= 5 AND building IN ('yes', 'university') AND BBOX(geometry, 32.812, 39.926, 32.825, 39.934)"
    as_json = {"op": "and", "args": [
        {"op": ">=", "args": [{"property": "kat"}, 5]},
        {"op": "in", "args": [{"property": "building"}, ["yes", "university"]]},
        {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": list(BBOX)}]}]}
    a = get(api, ITEMS, limit=1000, filter=text)
    b = get(api, ITEMS, limit=1000, filter=json.dumps(as_json), **{"filter-lang": "cql2-json"})
    c = api.post(f"{ITEMS}?limit=1000", json.dumps(as_json), content_type="application/query-cql-json").json()
    ids = {f["id"] for f in a["features"]}
    assert ids and ids == {f["id"] for f in b["features"]} == {f["id"] for f in c["features"]}
    assert all(f["properties"]["kat"] >= 5 for f in a["features"])


def test_cql2_like_casei_arithmetic_and_null(world, api):
    named = get(api, ITEMS, limit=1000, filter="name IS NOT NULL")["numberReturned"]
    assert 0 < named < world.n_buildings
    like = get(api, ITEMS, limit=1000, filter="CASEI(name) LIKE '%okul%'")
    assert all("okul" in f["properties"]["name"].lower() for f in like["features"])
    assert get(api, ITEMS, limit=1000, filter="kat * 2 = 14")["numberReturned"] == \
        get(api, ITEMS, limit=1000, kat=7)["numberReturned"]


def test_datetime_on_the_declared_time_field(world, api):
    url = "/ogc/collections/toplanma-alanlari/items"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.afad_token}"}
    page = api.get(url, {"datetime": "2024-03-01T00:00:00Z/2024-05-31T23:59:59Z"}, **auth).json()
    assert sorted(f["properties"]["ad"] for f in page["features"]) == [
        "Toplanma alanı 2", "Toplanma alanı 3", "Toplanma alanı 4"]
    assert api.get(url, {"datetime": "../2024-01-31"}, **auth).json()["numberReturned"] == 1
    assert api.get(ITEMS, {"datetime": "2024-01-01"}).status_code == 400  # binalar has no time field


def test_single_item_json_and_crs(world, api):
    first = get(api, ITEMS, limit=1)["features"][0]
    item = get(api, f"{ITEMS}/{first['id']}")
    assert item["id"] == first["id"] and item["properties"] == first["properties"]
    assert {"self", "collection"} <= {link["rel"] for link in item["links"]}
    moved = get(api, f"{ITEMS}/{first['id']}", crs="EPSG:3857")
    assert moved["geometry"]["coordinates"][0][0][0][0] > 3_600_000


def test_html_and_jsonld_go_through_pygeoapi_with_the_same_features(world):
    browser = Client(HTTP_ACCEPT="text/html")
    html = browser.get(ITEMS, {"limit": 7, "sortby": "name", "bbox": ",".join(map(str, BBOX))})
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    json_ids = [f["id"] for f in get(Client(), ITEMS, limit=7, sortby="name", bbox=",".join(map(str, BBOX)))[
        "features"]]
    html_ids = [int(i) for i in re.findall(r'binalar/items/(\d+)\?f=html"', html.content.decode())]
    assert html_ids == json_ids
    jsonld = Client().get(ITEMS, {"f": "jsonld", "limit": 3})
    assert jsonld.status_code == 200 and "@context" in jsonld.json()
    one = browser.get(f"{ITEMS}/{json_ids[0]}")
    assert one.status_code == 200 and b"Binalar" in one.content


def test_result_type_hits_counts_exactly_past_the_cap(world, api, settings):
    settings.KENT_OGC_COUNT_CAP = 100
    assert "numberMatched" not in get(api, ITEMS, limit=10)
    hits = get(api, ITEMS, resultType="hits")
    assert hits["numberMatched"] == world.n_buildings and hits["features"] == [] and hits["numberReturned"] == 0
    assert not [link for link in hits["links"] if link["rel"] == "next"]
    assert get(api, ITEMS, resulttype="hits", bbox=",".join(map(str, BBOX)))["numberMatched"] == 574
    doc = api.get("/ogc/openapi?f=json").json()
    names = [p.get("name") for p in doc["paths"]["/collections/binalar/items"]["get"]["parameters"]]
    assert "resultType" in names
