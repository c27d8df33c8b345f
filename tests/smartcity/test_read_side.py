"""What staff and agencies read: history with time ranges and a cap, live GeoJSON per kind, the
indicators, and the pages (dashboard, map, asset chart, alerts, dead letters)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from geo.models import TucbsTheme
from geo.tucbs_catalogue import THEMES
from smartcity.layers import ensure_asset_layers
from smartcity.models import DeadLetter

from .conftest import ts


@pytest.fixture(autouse=True)
def kind_layers(kinds) -> None:
    """Whether a kind's live state is public is its layer's decision (geo.sources): the kinds'
    layers must exist, as migrate and build_demo leave them (transactional tests flush them)."""
    for theme in THEMES:
        TucbsTheme.objects.get_or_create(code=theme["code"], defaults={
            k: theme[k] for k in ("name_tr", "name_en", "required_attributes")})
    ensure_asset_layers()


pytestmark = pytest.mark.django_db


@pytest.fixture
def city(client, make_asset, make_device):
    park = make_asset("OffStreetParking", "otopark-1", totalSpotNumber=100)
    bin_ = make_asset("WasteContainer", "kont-1")
    signal = make_asset("TrafficSignal", "sinyal-1")
    _, token = make_device(kinds=("OffStreetParking", "WasteContainer", "TrafficSignal"))
    batch = [{"id": "otopark-1", "type": "OffStreetParking", "dateObserved": ts(60 * m),
              "availableSpotNumber": 10 + m, "totalSpotNumber": 100, "occupancy": (90 - m) / 100} for m in range(30)]
    batch += [{"id": "kont-1", "type": "WasteContainer", "dateObserved": ts(60), "fillingLevel": 0.9},
              {"id": "sinyal-1", "type": "TrafficSignal", "dateObserved": ts(120), "mode": "normal"},
              {"id": "sinyal-1", "type": "TrafficSignal", "dateObserved": ts(60), "mode": "fault"}]
    r = client.post("/api/smartcity/readings/", json.dumps(batch), content_type="application/json",
                    HTTP_X_DEVICE_TOKEN=token)
    assert r.status_code == 201 and r.json()["stored"] == len(batch)
    return {"park": park, "bin": bin_, "signal": signal}


def test_history_range_and_cap(client, city, staff):
    client.force_login(staff)
    url = "/api/smartcity/assets/otopark-1/observations/"
    day = client.get(url).json()
    assert day["count"] == 30 and not day["truncated"]
    times = [o["dateObserved"] for o in day["observations"]]
    assert times == sorted(times) and day["observations"][-1]["availableSpotNumber"] == 10
    start = (datetime.now(UTC) - timedelta(minutes=10, seconds=30)).isoformat()
    recent = client.get(url, {"from": start}).json()
    assert recent["count"] == 11
    page = client.get(url, {"limit": 12}).json()
    assert page["count"] == 12 and page["truncated"] and page["next"]
    rest = client.get(page["next"]).json()
    assert rest["observations"][0]["dateObserved"] > page["observations"][-1]["dateObserved"]
    assert client.get(url, {"from": "2020-01-01T00:00:00Z", "to": "2021-01-01T00:00:00Z"}).status_code == 400
    assert client.get(url, {"from": "not a date"}).status_code == 400
    assert client.get("/api/smartcity/assets/none/observations/").status_code == 404


def test_history_is_public_only_for_public_kinds(client, city):
    assert client.get("/api/smartcity/assets/otopark-1/observations/").status_code == 200  # car parks: city guide
    assert client.get("/api/smartcity/assets/sinyal-1/observations/").status_code == 401


def test_live_geojson(client, city, staff):
    fc = client.get("/api/smartcity/live/OffStreetParking.geojson")
    assert fc.status_code == 200 and fc["Content-Type"] == "application/geo+json"
    (feature,) = fc.json()["features"]
    props = feature["properties"]
    assert props["assetId"] == "otopark-1" and props["availableSpotNumber"] == 10 and props["stale"] is False
    assert feature["geometry"] == {"type": "Point", "coordinates": [32.82, 39.93]}
    assert client.get("/api/smartcity/live/TrafficSignal.geojson").status_code == 401
    client.force_login(staff)
    signals = client.get("/api/smartcity/live/TrafficSignal.geojson").json()["features"]
    assert signals[0]["properties"]["mode"] == "fault" and signals[0]["properties"]["openAlerts"] == 1
    assert client.get("/api/smartcity/live/Unicorn.geojson").status_code == 404


def test_indicators(client, city, staff):
    client.force_login(staff)
    d = client.get("/api/smartcity/indicators/").json()
    (park,) = d["parking"]
    assert park["assetId"] == "otopark-1" and all(0 <= p[1] <= 1 for p in park["points"])
    assert d["containers"]["counts"] == [0, 0, 0, 0, 1]
    assert d["signals"]["modes"] == {"fault": 1}
    assert 0 < sum(u for _, u in d["signals"]["uptime"]) <= len(d["signals"]["uptime"])
    assert {a["rule"] for a in d["alerts"] if a["open"]} == {"collection", "mode"}


def test_pages_for_staff(client, city, staff):
    DeadLetter.objects.create(source="mqtt", topic="kent/X/y", reason="not_json", detail="bozuk", payload="{x")
    client.force_login(staff)
    pages = [("/akilli-kent/", "sc-parking"), ("/akilli-kent/harita/", "vendor/leaflet/dist/leaflet.js"),
             ("/akilli-kent/varlik/sinyal-1/", "sc-asset-charts"), ("/akilli-kent/uyarilar/", "Onayla"),
             ("/akilli-kent/hatali-veriler/", "bozuk"), ("/akilli-kent/hatali-veriler/?reason=not_json", "{x")]
    for url, text in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert text in r.content.decode(), url
    assert "vendor/chart.js/dist/chart.umd.js" in client.get("/akilli-kent/").content.decode()


def test_acknowledge_from_the_page(client, city, staff):
    client.force_login(staff)
    alert = city["signal"].alerts.get()
    r = client.post(f"/akilli-kent/uyarilar/{alert.pk}/onayla/", {"next": "/akilli-kent/uyarilar/"})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == staff


def test_pages_need_the_unit(client, city, django_user_model):
    r = client.get("/akilli-kent/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    client.force_login(django_user_model.objects.create_user("vatandas", password="pw"))
    assert client.get("/akilli-kent/").status_code == 403
    assert client.get("/akilli-kent/varlik/sinyal-1/").status_code == 403
    assert client.get("/akilli-kent/varlik/otopark-1/").status_code == 200  # public kind
