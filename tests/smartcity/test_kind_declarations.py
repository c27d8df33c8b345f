"""One declaration per asset kind: a kind declared once gets its registry layer, its live-map layer
with colour rule and legend (embedded in the page, not written in map.js), and nothing else to edit."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from geo.models import AccessLevel
from smartcity.kinds import REGISTRY, Kind, LayerSpec, MapStyle, Measure, sync_kinds
from smartcity.layers import ensure_asset_layers
from smartcity.models import AssetKind

from .test_asset_layers import _themes

AIR = Kind("AirQualityObserved", "Hava kalitesi ölçümü", "Air quality", colour="#4a5d9c",
           schema={"properties": {"pm10": {"type": "number", "minimum": 0}}},
           layer=LayerSpec("hava-kalitesi", "Hava kalitesi istasyonları", "Air quality stations", "AY", ("hava",)),
           map=MapStyle(radius=7, measures=(Measure(attribute="pm10"),), bands=((50, "good"), (100, "mid")),
                        otherwise="bad", legend=(("good", "PM10 < 50", "PM10 under 50"),
                                                 ("bad", "PM10 ≥ 100", "PM10 100 or more"))))


def live_config(client: Client) -> dict:
    page = client.get("/akilli-kent/harita/")
    assert page.status_code == 200
    found = re.search(r'<script id="sc-live-kinds" type="application/json">(.*?)</script>', page.content.decode(), re.S)
    assert found, "the live map carries its kinds as JSON"
    return json.loads(found.group(1))


@pytest.fixture
def staff_client(kinds) -> Client:
    client = Client()
    client.force_login(User.objects.create_user("izleme", is_staff=True))
    return client


@pytest.mark.django_db
def test_the_live_map_and_its_legend_come_from_the_declarations(staff_client):
    config = live_config(staff_client)
    by_type = {k["type"]: k for k in config["kinds"]}
    assert list(by_type) == [k.type for k in REGISTRY.values() if k.map is not None]
    assert "Camera" not in by_type and "TouristCamera" not in by_type  # cameras have no state to colour
    bins = by_type["WasteContainer"]
    assert bins["title"] == "Atık konteyneri" and bins["url"] == "/api/smartcity/live/WasteContainer.geojson"
    assert bins["style"]["measures"] == [{"attribute": "fillingLevel"}]
    assert bins["style"]["bands"] == [[0.5, "good"], [0.8, "mid"]] and bins["style"]["otherwise"] == "bad"
    assert by_type["TrafficSignal"]["style"]["states"]["fault"] == "bad"
    assert config["states"]["bad"]["colour"] == "#c8553d" and config["states"]["none"]["label"]


@pytest.mark.django_db
def test_a_new_kind_is_one_declaration(staff_client, monkeypatch):
    monkeypatch.setitem(REGISTRY, AIR.type, AIR)
    sync_kinds(AssetKind)
    row = AssetKind.objects.get(type=AIR.type)
    assert row.title_tr == "Hava kalitesi ölçümü" and row.schema == AIR.schema and not row.public

    entry = next(k for k in live_config(staff_client)["kinds"] if k["type"] == AIR.type)
    assert entry["title"] == "Hava kalitesi ölçümü" and entry["colour"] == "#4a5d9c"
    assert entry["style"]["radius"] == 7 and entry["style"]["bands"] == [[50, "good"], [100, "mid"]]
    assert entry["style"]["legend"] == [{"state": "good", "label": "PM10 < 50"},
                                        {"state": "bad", "label": "PM10 ≥ 100"}]
    assert staff_client.get(entry["url"]).status_code == 200

    _themes()
    layer = ensure_asset_layers(kinds=[row])[AIR.type]
    assert (layer.slug, layer.title_tr, layer.theme_id) == ("hava-kalitesi", "Hava kalitesi istasyonları", "AY")
    assert layer.access_level == AccessLevel.AGENCY and layer.source_filter == {"kind_id": AIR.type}
