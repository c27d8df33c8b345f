"""Asset kinds as registry layers: one layer per kind after the demo install, the latest state
published through OGC API Features (filter, datetime, sortby, properties on state attributes),
read by GDAL's OAPIF driver, access by the kind's publicity, and tiles holding only their kind."""

import io
import json
import subprocess
from datetime import UTC, datetime, timedelta

import mapbox_vector_tile
import pytest
import requests
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.utils import timezone

from data.layers import Provenance, ensure_core_layers
from geo.models import AccessLevel, AgencyAccount, Feature, Layer, TucbsTheme
from geo.services.agency_access import issue_token
from ogc import snapshot
from smartcity.importer import import_assets
from smartcity.kinds import REGISTRY
from smartcity.layers import ensure_asset_layers
from smartcity.models import Asset, AssetKind, AssetState
from tiles import grid
from tiles.mvt import render_mvt

from .conftest import ts, wait_until

SLUGS = {"OffStreetParking": "otoparklar", "ParkingSpot": "park-yerleri", "TrafficSignal": "trafik-sinyalleri",
         "WasteContainer": "atik-konteynerleri", "Camera": "trafik-kameralari",
         "TouristCamera": "turistik-kameralar"}
PROV = Provenance("Deneme Belediyesi", "CC0 1.0", "test verisi", datetime(2025, 1, 1, tzinfo=UTC))
HERE = (32.82, 39.93)


@pytest.fixture(autouse=True)
def tile_dirs(settings, tmp_path) -> None:
    """The tile cache (written by tile requests and by registry changes) goes to the test's tmp_path."""
    settings.KENT_TILE_CACHE = str(tmp_path / "tilecache")
    settings.MEDIA_ROOT = tmp_path / "media"


def _themes() -> None:
    """The TUCBS themes (a transactional test before may have flushed the migration's rows)."""
    from geo.tucbs_catalogue import THEMES

    for theme in THEMES:
        TucbsTheme.objects.update_or_create(code=theme["code"], defaults={
            k: theme[k] for k in ("name_tr", "name_en", "required_attributes")})


@pytest.fixture
def asset_layers(kinds):
    _themes()
    layers = ensure_asset_layers(PROV)
    yield {t: layers[t] for t in SLUGS}
    snapshot.forget()


@pytest.fixture
def agency_token(asset_layers) -> str:
    account = AgencyAccount.objects.create(name="Temizlik İşleri")
    account.layers.add(asset_layers["WasteContainer"], asset_layers["TrafficSignal"])
    return issue_token(account, label="test")[1]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT": "application/json"}


def post_reading(client, token: str, body: dict) -> None:
    r = client.post("/api/smartcity/readings/", data=json.dumps(body), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201, r.content


@pytest.mark.django_db
def test_demo_install_registers_a_layer_per_kind():
    call_command("build_demo", "--replace", stdout=io.StringIO())
    layers = {lyr.source_filter["kind_id"]: lyr for lyr in Layer.objects.filter(source="smartcity.Asset")}
    assert {t: lyr.slug for t, lyr in layers.items()} == SLUGS
    for type_name, layer in layers.items():
        kind = AssetKind.objects.get(type=type_name)
        assert layer.access_level == (AccessLevel.PUBLIC if kind.public else AccessLevel.AGENCY), type_name
        assert layer.published and layer.geometry_family == "point"
        assert layer.theme_id == REGISTRY[type_name].layer.theme
        assert layer.title_tr and layer.title_en and layer.abstract and type_name in layer.keywords
        assert layer.responsible_party == "Yenikent Belediyesi CBS Müdürlüğü" and layer.licence
        assert layer.rows().count() == Asset.objects.filter(kind_id=type_name).count()
    assert layers["OffStreetParking"].access_level == AccessLevel.PUBLIC
    assert layers["OffStreetParking"].theme_id == "UL" and layers["WasteContainer"].theme_id == "AY"
    assert layers["WasteContainer"].rows().count() > 50

    # re-running refreshes the description only: a grant and a changed access level survive
    bins = layers["WasteContainer"]
    account = AgencyAccount.objects.create(name="Çevre Koruma")
    account.layers.add(bins)
    Layer.objects.filter(pk=bins.pk).update(access_level=AccessLevel.INTERNAL, title_tr="eski başlık")
    again = ensure_asset_layers(PROV)["WasteContainer"]
    assert again.pk == bins.pk and again.title_tr == "Atık konteynerleri"
    again.refresh_from_db()
    assert again.access_level == AccessLevel.INTERNAL and list(account.layers.all()) == [again]


@pytest.mark.django_db
def test_reading_over_http_shows_in_ogc_with_filters(client, asset_layers, agency_token, make_asset, make_device):
    full = make_asset("WasteContainer", binCapacity=1100, status="lidOpen", telefon="0312 000 00 00")
    empty = make_asset("WasteContainer", binCapacity=770)
    silent = make_asset("WasteContainer", binCapacity=770)
    make_asset("Camera", cameraType="traffic")  # another kind: never in this collection
    token = make_device(kinds=("WasteContainer",))[1]
    post_reading(client, token, {"id": full.asset_id, "type": "WasteContainer", "dateObserved": ts(30),
                                 "fillingLevel": 0.93, "status": "ok", "temperature": 24.5})
    post_reading(client, token, {"id": empty.asset_id, "type": "WasteContainer", "dateObserved": ts(7200),
                                 "fillingLevel": 0.05})
    url = "/ogc/collections/atik-konteynerleri/items"

    page = client.get(url, **bearer(agency_token)).json()
    by_id = {f["properties"]["asset_id"]: f["properties"] for f in page["features"]}
    assert set(by_id) == {full.asset_id, empty.asset_id, silent.asset_id}
    props = by_id[full.asset_id]
    assert props["fillingLevel"] == 0.93 and props["temperature"] == 24.5
    assert props["status"] == "ok"  # the latest reading wins over the asset's own attribute
    assert props["binCapacity"] == 1100 and props["kind"] == "WasteContainer" and props["name"] == full.name
    observed = AssetState.objects.get(asset=full).observed_at
    assert datetime.fromisoformat(props["dateObserved"]) == observed
    assert "telefon" not in props  # personal data stays in Kent whatever the asset carries
    assert by_id[silent.asset_id]["dateObserved"] is None and by_id[silent.asset_id]["binCapacity"] == 770

    def ids(**params: str) -> list[str]:
        r = client.get(url, params, **bearer(agency_token))
        assert r.status_code == 200, r.content
        return [f["properties"]["asset_id"] for f in r.json()["features"]]

    assert ids(filter="fillingLevel > 0.8") == [full.asset_id]
    assert ids(filter="fillingLevel < 0.5 AND binCapacity = 770") == [empty.asset_id]
    assert ids(filter="status = 'ok'") == [full.asset_id] and ids(filter="status = 'lidOpen'") == []
    since = (timezone.now() - timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    assert ids(datetime=f"{since}/..") == [full.asset_id]
    assert ids(datetime=f"../{since}") == [empty.asset_id]
    assert ids(sortby="-fillingLevel") == [full.asset_id, empty.asset_id, silent.asset_id]
    assert ids(fillingLevel="0.05") == [empty.asset_id]
    only = client.get(url, {"properties": "fillingLevel,dateObserved", "filter": "fillingLevel > 0.8"},
                      **bearer(agency_token)).json()["features"][0]["properties"]
    assert set(only) == {"fillingLevel", "dateObserved"}

    queryables = client.get("/ogc/collections/atik-konteynerleri/queryables", **bearer(agency_token)).json()
    types = {k: v.get("type") for k, v in queryables["properties"].items()}
    assert types["fillingLevel"] == "number" and types["status"] == "string" and types["binCapacity"] == "number"
    assert queryables["properties"]["dateObserved"]["format"] == "date-time" and "telefon" not in types

    refused = client.get(url, {"filter": "fillingLevel > 'dolu'"}, **bearer(agency_token))
    assert refused.status_code == 400 and refused.json()["code"] == "InvalidParameterValue"


@pytest.mark.django_db
def test_public_car_parks_need_no_token_the_others_do(client, asset_layers, agency_token, make_asset):
    park = make_asset("OffStreetParking", totalSpotNumber=120)
    far = make_asset("WasteContainer")
    far.geom = Point(30.0, 38.0, srid=4326)
    far.save()
    anonymous = client.get("/ogc/collections/otoparklar/items", HTTP_ACCEPT="application/json")
    assert anonymous.status_code == 200
    assert [f["properties"]["asset_id"] for f in anonymous.json()["features"]] == [park.asset_id]
    collection = client.get("/ogc/collections/otoparklar?f=json").json()
    assert collection["extent"]["spatial"]["bbox"] == [[*HERE, *HERE]]  # its kind's rows only
    assert client.get("/ogc/collections/otoparklar/items?f=html").status_code == 200
    listed = {c["id"] for c in client.get("/ogc/collections?f=json").json()["collections"]}
    assert "otoparklar" in listed and not listed & {"atik-konteynerleri", "trafik-kameralari", "trafik-sinyalleri"}
    for slug in ("atik-konteynerleri", "trafik-sinyalleri", "trafik-kameralari", "park-yerleri"):
        r = client.get(f"/ogc/collections/{slug}/items", HTTP_ACCEPT="application/json")
        assert r.status_code == 401, slug
        assert r.json()["code"] == "NotAuthenticated"
    assert client.get("/ogc/collections/atik-konteynerleri/items", **bearer(agency_token)).status_code == 200
    assert client.get("/ogc/collections/trafik-kameralari/items", **bearer(agency_token)).status_code == 403


@pytest.mark.django_db
def test_registry_and_schema_changes_reach_the_cached_configuration(client, asset_layers, agency_token, make_asset):
    bin_ = make_asset("WasteContainer")
    signal = make_asset("TrafficSignal", mode="normal")
    url = "/ogc/collections/atik-konteynerleri"
    assert client.get(f"{url}/items", **bearer(agency_token)).json()["features"][0]["id"] == bin_.pk
    # the filter changes by a QuerySet.update (no save, no updated_at): the stamp still moves
    Layer.objects.filter(pk=asset_layers["WasteContainer"].pk).update(source_filter={"kind_id": "TrafficSignal"})
    assert [f["id"] for f in client.get(f"{url}/items", **bearer(agency_token)).json()["features"]] == [signal.pk]
    Layer.objects.filter(pk=asset_layers["WasteContainer"].pk).update(source_filter={"kind_id": "WasteContainer"})
    assert "lidSensor" not in client.get(f"{url}/queryables", **bearer(agency_token)).json()["properties"]
    kind = AssetKind.objects.get(type="WasteContainer")
    kind.schema = {**kind.schema, "properties": {**kind.schema["properties"], "lidSensor": {"type": "boolean"}}}
    kind.save()  # a kind's new attribute is published at once, typed from the schema
    props = client.get(f"{url}/queryables", **bearer(agency_token)).json()["properties"]
    assert props["lidSensor"]["type"] == "boolean"


@pytest.mark.django_db
def _car_parks_filtered_by(client, layer: Layer, source_filter: dict) -> set[str]:
    """Give the car-park layer this filter; the collections OGC then lists."""
    Layer.objects.filter(pk=layer.pk).update(source_filter=source_filter)
    layer.refresh_from_db()
    return {c["id"] for c in client.get("/ogc/collections?f=json").json()["collections"]}


def test_a_filter_naming_no_field_publishes_nothing(client, asset_layers, make_asset):
    make_asset("OffStreetParking")
    layer = asset_layers["OffStreetParking"]
    assert "otoparklar" not in _car_parks_filtered_by(client, layer, {"kind__public": True})
    z, x, y = 16, *grid.lonlat_to_tile(*HERE, 16)
    assert render_mvt(layer, z, x, y) is None


@pytest.mark.parametrize("value", ["Waste%Container", "%s", "x%%"])
def test_a_percent_sign_in_a_filter_value_is_refused_in_every_outlet(client, asset_layers, make_asset, value):
    """The filter's literal lands in query texts also run with parameters, where % is special."""
    make_asset("OffStreetParking")
    layer = asset_layers["OffStreetParking"]
    assert "otoparklar" not in _car_parks_filtered_by(client, layer, {"kind_id": value})
    for z in (12, 16):  # below z14 the tile query is run plainly, from z14 on prepared
        x, y = grid.lonlat_to_tile(*HERE, z)
        assert render_mvt(layer, z, x, y) is None


def _tile_ids(layer: Layer) -> tuple[str, set[int], set[str]]:
    z, x, y = 16, *grid.lonlat_to_tile(*HERE, 16)
    data = render_mvt(layer, z, x, y)
    assert data is not None
    decoded = mapbox_vector_tile.decode(data)[layer.slug]["features"]
    return layer.slug, {f["id"] for f in decoded}, {f["properties"]["kind"] for f in decoded}


@pytest.mark.django_db
def test_vector_tiles_of_an_asset_layer_hold_only_its_kind(client, asset_layers, make_asset):
    parks = [make_asset("OffStreetParking"), make_asset("OffStreetParking")]
    bins = [make_asset("WasteContainer"), make_asset("WasteContainer"), make_asset("WasteContainer")]
    assert _tile_ids(asset_layers["OffStreetParking"]) == ("otoparklar", {a.pk for a in parks}, {"OffStreetParking"})
    assert _tile_ids(asset_layers["WasteContainer"]) == ("atik-konteynerleri", {a.pk for a in bins},
                                                         {"WasteContainer"})
    z, x, y = 16, *grid.lonlat_to_tile(*HERE, 16)
    served = client.get(f"/tiles/otoparklar/{z}/{x}/{y}.mvt")
    assert served.status_code == 200
    features = mapbox_vector_tile.decode(served.content)["otoparklar"]["features"]
    assert sorted(f["id"] for f in features) == sorted(a.pk for a in parks)


@pytest.mark.django_db
def test_file_import_registers_the_missing_layer_and_a_taken_slug_is_left_alone(tmp_path, kinds):
    _themes()
    ensure_core_layers(PROV)
    hand_drawn = Layer.objects.create(slug="otoparklar", title_tr="Otoparklar (elle çizilmiş)", theme_id="UL",
                                      geometry_family="point", access_level="public")
    Feature.objects.create(layer=hand_drawn, geom=Point(*HERE, srid=4326), properties={"ad": "Eski otopark"})
    path = tmp_path / "spots.csv"
    path.write_text("id,name,lon,lat,status\nps-1,Yer 1,32.82,39.93,free\nps-2,Yer 2,32.821,39.931,occupied\n")
    import_assets(path, AssetKind.objects.get(type="ParkingSpot"), user=None)
    spots = Layer.objects.get(slug="park-yerleri")
    assert spots.access_level == AccessLevel.AGENCY and spots.source_filter == {"kind_id": "ParkingSpot"}
    assert spots.responsible_party == "Deneme Belediyesi CBS Müdürlüğü"  # the registry's unit, by default
    assert spots.rows().count() == 2
    assert Layer.objects.get(slug="park-yerleri").changes.count() == 2  # the imports are in its history

    layers = ensure_asset_layers(PROV)
    hand_drawn.refresh_from_db()
    assert hand_drawn.source == "geo.Feature" and hand_drawn.features.count() == 1
    assert layers["OffStreetParking"].slug == "otoparklar-canli"


@pytest.mark.django_db
def test_migrate_on_an_installed_kent_adds_the_kinds_layers(kinds):
    _themes()
    call_command("migrate", verbosity=0)
    assert not Layer.objects.exists()  # an empty database stays empty until a district is installed
    ensure_core_layers(PROV)
    call_command("migrate", verbosity=0)
    assert set(Layer.objects.filter(source="smartcity.Asset").values_list("slug", flat=True)) == set(SLUGS.values())


def _gdal(*args: str) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_mqtt_reading_read_back_by_gdal_and_ogc(live_server, worker, publisher, make_asset, make_device):
    _themes()
    layers = ensure_asset_layers(PROV)
    account = AgencyAccount.objects.create(name="Temizlik İşleri")
    account.layers.add(layers["WasteContainer"])
    agency = issue_token(account)[1]
    park = make_asset("OffStreetParking", totalSpotNumber=120, openingHours="Mo-Su 07:00-23:00")
    bin_ = make_asset("WasteContainer", binCapacity=1100)
    device, token = make_device(kinds=("OffStreetParking", "WasteContainer"))
    creds = {"deviceId": device.device_id, "token": token}
    publisher.send("OffStreetParking", park.asset_id, {**creds, "dateObserved": ts(20), "availableSpotNumber": 17,
                                                       "occupancy": 0.86})
    publisher.send("WasteContainer", bin_.asset_id, {**creds, "dateObserved": ts(20), "fillingLevel": 0.88})
    wait_until(lambda: AssetState.objects.filter(asset__in=[park, bin_]).count() == 2)
    try:
        base = f"OAPIF:{live_server.url}/ogc"
        out = _gdal("ogrinfo", "-ro", "-al", base, "otoparklar")
        assert "Feature Count: 1" in out
        assert "availableSpotNumber (Integer" in out and "availableSpotNumber (Integer) = 17" in out
        assert "occupancy (Real) = 0.86" in out and "totalSpotNumber (Integer) = 120" in out
        assert "dateObserved (DateTime)" in out and f"asset_id (String) = {park.asset_id}" in out
        assert "atik-konteynerleri" not in _gdal("ogrinfo", "-ro", "-so", base)  # agency: not listed anonymously

        url = f"{live_server.url}/ogc/collections/atik-konteynerleri/items"
        assert requests.get(url, timeout=30).status_code == 401
        page = requests.get(url, {"filter": "fillingLevel > 0.8"}, headers={"Authorization": f"Bearer {agency}"},
                            timeout=30).json()
        assert [(f["properties"]["asset_id"], f["properties"]["fillingLevel"]) for f in page["features"]] == [
            (bin_.asset_id, 0.88)]
    finally:
        snapshot.forget()
