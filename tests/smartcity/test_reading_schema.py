"""A kind's schema is enforced on readings and asset edits with geo's one validator: a value
outside an enum or a range is dead-lettered (reading) or refused with 400 (edit), the reason
naming the field; a valid value is stored. Readings travel over the real broker and the HTTP
endpoint; the worker checks them with the kind's schema compiled once."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from geo.models import Layer, LayerPermission, Right
from geo.services.schema import compiled
from smartcity.ingest.directory import Directory
from smartcity.models import AssetKind, AssetState, DeadLetter, Observation

from .conftest import ts, wait_until

R = DeadLetter.Reason
READINGS = "/api/smartcity/readings/"


def stored(asset) -> int:
    return Observation.objects.filter(asset_id=asset.pk).count()


def post(client: Client, token: str, reading: dict):
    return client.post(READINGS, json.dumps(reading), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db(transaction=True)
def test_mqtt_reading_outside_the_schema_is_dead_lettered_with_the_field(worker, publisher, make_asset,
                                                                        make_device):
    device, token = make_device(kinds=("WasteContainer",))
    broken, fine = make_asset("WasteContainer"), make_asset("WasteContainer")
    sign = {"deviceId": device.device_id, "token": token, "dateObserved": ts(1)}
    publisher.send("WasteContainer", broken.asset_id, {**sign, "fillingLevel": 1.7, "status": "exploded"})
    publisher.send("WasteContainer", fine.asset_id, {**sign, "fillingLevel": 0.35, "status": "lidOpen"})
    letter = wait_until(lambda: DeadLetter.objects.filter(topic__endswith=f"/{broken.asset_id}").first())
    assert letter.reason == R.INVALID and letter.source == "mqtt"
    assert "fillingLevel: 1.7 > en çok 1 (maximum 1)" in letter.detail
    assert "status: 'exploded' izin verilen değerlerden değil" in letter.detail
    assert json.loads(letter.payload)["status"] == "exploded"  # kept as it came, nothing dropped
    wait_until(lambda: stored(fine) == 1)
    assert Observation.objects.get(asset_id=fine.pk).data == {"fillingLevel": 0.35, "status": "lidOpen"}
    assert stored(broken) == 0 and not DeadLetter.objects.filter(topic__endswith=f"/{fine.asset_id}").exists()


@pytest.mark.django_db
def test_http_reading_outside_an_enum_is_422_and_dead_lettered(client, make_asset, make_device):
    signal = make_asset("TrafficSignal")
    _, token = make_device(kinds=("TrafficSignal",))
    r = post(client, token, {"id": signal.asset_id, "type": "TrafficSignal", "dateObserved": ts(2),
                             "mode": "disco", "priorityRequests": 2})
    assert r.status_code == 422 and r.json()["code"] == R.INVALID
    assert "mode: 'disco' izin verilen değerlerden değil: normal, flashing, off, fault" in r.json()["description"]
    letter = DeadLetter.objects.get()
    assert letter.reason == R.INVALID and "mode: 'disco'" in letter.detail and stored(signal) == 0

    r = post(client, token, {"id": signal.asset_id, "type": "TrafficSignal", "dateObserved": ts(1),
                             "mode": "flashing", "priorityRequests": 2})
    assert r.status_code == 201, r.json()
    assert AssetState.objects.get(asset=signal).state == {"mode": "flashing", "priorityRequests": 2}
    assert DeadLetter.objects.count() == 1


@pytest.mark.django_db
def test_http_batch_names_the_field_of_each_refused_item(client, make_asset, make_device):
    park = make_asset("OffStreetParking")
    _, token = make_device(kinds=("OffStreetParking",))
    urn = f"urn:ngsi-ld:OffStreetParking:{park.asset_id}"
    r = client.post(READINGS, json.dumps([
        {"id": urn, "dateObserved": ts(3), "availableSpotNumber": -1},
        {"id": urn, "dateObserved": ts(2), "availableSpotNumber": 12, "occupancy": 0.8}]),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201 and r.json()["stored"] == 1
    [refused] = r.json()["rejected"]
    assert refused["index"] == 0 and "availableSpotNumber: -1 < en az 0 (minimum 0)" in refused["description"]


@pytest.mark.django_db
def test_the_worker_checks_with_the_kinds_schema_compiled_once(kinds):
    directory = Directory(ttl=60)
    checker = directory.kind_checker("WasteContainer")
    assert directory.kind_checker("WasteContainer") is checker
    assert checker is compiled(AssetKind.objects.get(pk="WasteContainer").schema)
    assert directory.kind_checker("NoSuchKind") is None


@pytest.mark.django_db
def test_a_kind_with_a_broken_schema_dead_letters_its_readings(client, make_asset, make_device):
    AssetKind.objects.create(type="AirQualityObserved", title_tr="Hava kalitesi", title_en="Air quality",
                             schema={"properties": {"pm10": {"type": "sayı"}}})
    station = make_asset("AirQualityObserved")
    _, token = make_device(kinds=("AirQualityObserved",))
    r = post(client, token, {"id": station.asset_id, "type": "AirQualityObserved", "dateObserved": ts(1),
                             "pm10": 41})
    assert r.status_code == 422 and "properties.pm10.type" in r.json()["description"]
    assert DeadLetter.objects.get().reason == R.INVALID and stored(station) == 0


# --- asset edits in the map editor -----------------------------------------------------------------

@pytest.fixture
def containers(kinds) -> Layer:
    return Layer.objects.create(slug="atik-konteynerleri", title_tr="Atık konteynerleri", theme_id="KH",
                                geometry_family="point", access_level="internal", source="smartcity.Asset",
                                source_filter={"kind_id": "WasteContainer"})


@pytest.fixture
def as_editor(containers) -> Client:
    user = User.objects.create_user("konteyner-editoru", password="pw")
    user.groups.add(Group.objects.get(name="CBS Editörü"))
    LayerPermission.objects.create(user=user, layer=containers, right=Right.EDIT_DATA)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_asset_update_outside_the_range_is_refused_and_a_valid_one_saved(containers, as_editor):
    url = "/api/geo/layers/atik-konteynerleri/features/"
    here = {"type": "Point", "coordinates": [32.85, 39.92]}
    r = as_editor.post(url, {"type": "Feature", "geometry": here, "properties": {"fillingLevel": 0.2}},
                       content_type="application/json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = as_editor.put(f"{url}{pk}/", {"type": "Feature", "version": 1, "properties": {"fillingLevel": -0.5}},
                      content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"]["invalid"] == ["fillingLevel"]
    assert "fillingLevel: -0.5 < en az 0 (minimum 0)" in r.json()["description"]
    r = as_editor.put(f"{url}{pk}/", {"type": "Feature", "version": 1, "properties": {"fillingLevel": 0.9,
                                                                                      "status": "ok"}},
                      content_type="application/json")
    assert r.status_code == 200 and r.json()["properties"]["fillingLevel"] == 0.9


@pytest.mark.django_db
def test_the_admin_refuses_a_broken_kind_schema(kinds):
    admin = Client()
    admin.force_login(User.objects.create_superuser("yonetici", password="pw"))
    form = {"type": "AirQualityObserved", "title_tr": "Hava kalitesi", "title_en": "Air quality"}
    broken = '{"properties": {"pm10": {"minimum": "sıfır"}}}'
    r = admin.post("/admin/smartcity/assetkind/add/", {**form, "schema": broken})
    assert r.status_code == 200 and "properties.pm10.minimum" in r.content.decode()
    assert not AssetKind.objects.filter(pk="AirQualityObserved").exists()
    r = admin.post("/admin/smartcity/assetkind/add/", {**form, "schema": '{"properties": {"pm10": {"minimum": 0}}}'})
    assert r.status_code == 302 and AssetKind.objects.get(pk="AirQualityObserved").schema["properties"]["pm10"]
