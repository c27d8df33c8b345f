"""The pygeoapi configuration follows the layer registry: what is listed, what never is, and
changes showing without a restart."""

import json

from django.test import Client

from geo.models import Layer
from ogc import snapshot

COLLECTIONS = "/ogc/collections?f=json"


def ids(client: Client, **headers: str) -> set[str]:
    response = client.get(COLLECTIONS, **headers)
    assert response.status_code == 200
    return {c["id"] for c in response.json()["collections"]}


def test_public_sees_public_collections_only(world, api):
    assert ids(api) == {"binalar", "yapilar", "katalog"}


def test_token_holder_also_sees_their_agency_collections(world, api):
    assert ids(api, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}") == {"binalar", "yapilar", "katalog",
                                                                          "toplanma-alanlari"}
    assert ids(api, HTTP_X_KENT_TOKEN=world.utility_token) == {"binalar", "yapilar", "katalog", "riskli-yapilar"}


def test_internal_unpublished_and_never_exposed_layers_are_404_whatever_the_token(world, api):
    for slug in ("ic-katman", "taslak", "tespit-talepleri"):
        for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {world.afad_token}"}):
            for path in ("", "/items", "/items/1", "/queryables", "/schema"):
                response = api.get(f"/ogc/collections/{slug}{path}", **headers)
                assert response.status_code == 404, (slug, path, headers)
                assert response.json()["code"] == "NotFound"
    catalogue = api.get("/ogc/collections/katalog/items?limit=100").json()
    assert {r["id"] for r in catalogue["features"]} == {"binalar", "yapilar", "toplanma-alanlari", "riskli-yapilar"}


def test_personal_fields_are_never_published(world, api):
    props = api.get("/ogc/collections/binalar/queryables").json()["properties"]
    assert "malik_adi" not in props and {"osm_id", "name", "kat"} <= set(props)
    feature = api.get("/ogc/collections/binalar/items?limit=1").json()["features"][0]
    assert "malik_adi" not in feature["properties"]
    page = api.get("/ogc/collections/riskli-yapilar/items", HTTP_AUTHORIZATION=f"Bearer {world.utility_token}")
    assert page.status_code == 200
    assert all(set(f["properties"]) == {"risk_turu"} for f in page.json()["features"])
    refused = api.get("/ogc/collections/binalar/items?malik_adi=Ay%C5%9Fe")
    assert refused.status_code == 400
    refused = api.get("/ogc/collections/binalar/items", {"filter": "malik_adi = 'Ayşe Yılmaz'"})
    assert refused.status_code == 400 and "malik_adi" in refused.json()["description"]


def test_typed_layer_publishes_its_columns(world, api):
    props = api.get("/ogc/collections/yapilar/queryables").json()["properties"]
    assert {"ad", "kat_ust", "kullanim", "mahalle_id"} <= set(props)
    assert props["kat_ust"]["type"] == "integer"
    page = api.get("/ogc/collections/yapilar/items?limit=5&sortby=-kat_ust").json()
    assert page["numberMatched"] == 300
    assert [f["properties"]["kat_ust"] for f in page["features"]] == [9] * 5


def test_a_new_layer_shows_and_an_unpublished_one_goes_without_restart(world, api):
    assert "parklar" not in ids(api)
    layer = Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="AK", geometry_family="polygon",
                                 access_level="public")
    assert "parklar" in ids(api)
    assert api.get("/ogc/collections/parklar").json()["title"] == "Parklar"
    layer.title_tr = "Parklar ve bahçeler"
    layer.save()
    assert api.get("/ogc/collections/parklar").json()["title"] == "Parklar ve bahçeler"
    Layer.objects.filter(pk=layer.pk).update(published=False)  # no save(): updated_at stays
    assert "parklar" not in ids(api)
    assert api.get("/ogc/collections/parklar/items").status_code == 404
    Layer.objects.filter(pk=world.buildings.pk).update(access_level="internal")
    assert "binalar" not in ids(api)


def test_a_changed_registry_is_seen_by_another_process(world, api):
    """Each process keeps its own snapshot; a second one (simulated by swapping the module state)
    reaches the same answer from the database alone."""
    before = snapshot.current()
    Layer.objects.create(slug="parklar", title_tr="Parklar", theme_id="AK", geometry_family="polygon",
                         access_level="public")
    other_process = snapshot.current()
    assert other_process is not before and "parklar" in other_process.resources
    assert snapshot.current() is other_process  # unchanged registry: the same objects, no rebuild


def test_collection_metadata(world, api):
    c = api.get("/ogc/collections/binalar").json()
    assert c["title"] == "Binalar"
    assert c["storageCrs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert {"http://www.opengis.net/def/crs/EPSG/0/4326", "http://www.opengis.net/def/crs/EPSG/0/3857",
            "http://www.opengis.net/def/crs/EPSG/0/5255", "http://www.opengis.net/def/crs/EPSG/0/5253",
            "http://www.opengis.net/def/crs/EPSG/0/5259"} <= set(c["crs"])
    west, south, east, north = c["extent"]["spatial"]["bbox"][0]
    assert 32.80 < west < east < 32.84 and 39.92 < south < north < 39.94
    english = api.get("/ogc/collections/binalar?lang=en").json()
    assert english["title"] == "Buildings"


def test_landing_conformance_and_server_map(world, api):
    landing = api.get("/ogc/").json()
    assert {"service-desc", "conformance", "data"} <= {link["rel"] for link in landing["links"]}
    conf = api.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conf
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json" in conf
    # writes (OGC API Features Part 4) are announced: create/replace/delete and update
    assert "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete" in conf
    cfg = snapshot.current().config
    assert cfg["server"]["map"]["url"] == "/tiles/basemap/{z}/{x}/{y}.png"
    assert cfg["server"]["limits"]["max_items"] == 10_000
    assert cfg["server"]["languages"] == ["tr", "en"]
    assert "ic-katman" not in json.dumps(cfg)


def test_fast_path_never_answers_from_a_stale_snapshot(world, api):
    items = "/ogc/collections/binalar/items?limit=1"
    assert api.get(items).status_code == 200  # the snapshot is cached now
    Layer.objects.filter(pk=world.buildings.pk).update(access_level="agency")
    assert api.get(items).status_code == 401
    assert api.get("/ogc/collections/binalar/items/1").status_code == 401
    Layer.objects.filter(pk=world.buildings.pk).update(access_level="internal")
    assert api.get(items).status_code == 404
    Layer.objects.filter(pk=world.buildings.pk).update(access_level="public")
    assert api.get(items).status_code == 200
