"""Assets: edits recorded in history (who, when, before/after), imports from files, devices' tokens."""

import io
import json

import pytest
from django.core.management import call_command

from geo.models import Change
from geo.services.history import history_of
from geo.services.tokens import hash_token
from smartcity.assets import delete_asset, save_asset
from smartcity.importer import import_assets
from smartcity.models import Asset, AssetKind, Device, Observation

from .conftest import ts

pytestmark = pytest.mark.django_db


def test_asset_edits_are_attributable(make_asset, staff):
    asset = make_asset("WasteContainer")
    asset.name = "Kızılay Meydanı konteyneri"
    save_asset(asset, user=staff, comment="ad düzeltildi")
    change = history_of(Asset, asset.pk).first()
    assert change.action == Change.Action.UPDATE and change.user == staff and change.comment == "ad düzeltildi"
    assert change.before["name"] == "Test WasteContainer" and change.after["name"] == "Kızılay Meydanı konteyneri"
    delete_asset(asset, user=staff)
    assert history_of(Asset, change.object_id).first().action == Change.Action.DELETE


def test_admin_edit_is_recorded(client, make_asset, django_user_model):
    admin = django_user_model.objects.create_superuser("yonetici", password="pw")
    asset = make_asset("TrafficSignal")
    client.force_login(admin)
    page = client.get(f"/admin/smartcity/asset/{asset.pk}/change/").content.decode()
    assert "/static/vendor/ol/dist/ol.js" in page and "https://" not in page  # the air-gapped map widget
    r = client.post(f"/admin/smartcity/asset/{asset.pk}/change/", {
        "kind": "TrafficSignal", "asset_id": asset.asset_id, "name": "Sıhhiye kavşağı", "attributes": "{}",
        "osm_id": "", "geom": "POINT (32.86 39.93)"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert history_of(Asset, asset.pk).first().user == admin


def test_deleting_an_asset_deletes_its_observations(client, make_asset, make_device):
    bin_ = make_asset("WasteContainer")
    _, token = make_device(kinds=("WasteContainer",))
    body = {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(1), "fillingLevel": 0.1}
    client.post("/api/smartcity/readings/", json.dumps(body), content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}")
    pk = bin_.pk
    assert Observation.objects.filter(asset_id=pk).count() == 1
    delete_asset(bin_, user=None)
    assert Observation.objects.filter(asset_id=pk).count() == 0


def test_import_csv(tmp_path, kinds):
    path = tmp_path / "konteynerler.csv"
    path.write_text("asset_id,name,lon,lat,binCapacity\nwc-1,Konteyner 1,32.85,39.92,1100\n"
                    "wc-2,Konteyner 2,32.86,39.93,770\n,adsız,32.8,39.9,1\n", encoding="utf-8")
    kind = AssetKind.objects.get(type="WasteContainer")
    report = import_assets(path, kind, user=None)
    assert (report.created, report.updated, len(report.skipped)) == (2, 0, 1)
    wc = Asset.objects.get(asset_id="wc-1")
    assert wc.name == "Konteyner 1" and wc.geom.x == pytest.approx(32.85)
    assert import_assets(path, kind, user=None).updated == 2
    assert history_of(Asset, wc.pk).count() == 2


@pytest.mark.shared
def test_import_the_575_ankara_signals(shared_data, kinds):
    out = io.StringIO()
    call_command("import_assets", str(shared_data / "ankara-traffic-signals.geojson"), "--kind", "TrafficSignal",
                 stdout=out)
    assert out.getvalue().startswith("575 created")
    signal = Asset.objects.get(asset_id="osm-node-110713921")
    assert signal.osm_id == 110713921 and signal.attributes["traffic_signals"] == "signal"


def test_device_token_command(make_asset):
    make_asset("OffStreetParking", "otopark-9")
    out = io.StringIO()
    call_command("device_token", "otopark-9-sayac", "--kind", "OffStreetParking", "--asset", "otopark-9", stdout=out)
    token = out.getvalue().strip()
    device = Device.objects.get(device_id="otopark-9-sayac")
    assert device.token_hash == hash_token(token) and token.startswith("kd_")
    assert list(device.allowed_kinds.values_list("type", flat=True)) == ["OffStreetParking"]
