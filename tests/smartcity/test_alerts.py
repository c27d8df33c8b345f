"""Alerts open and close by themselves — over the real broker for containers and signals, through
the HTTP path for the rest — go stale on a clock, and are acknowledged by someone, some time."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from smartcity.alerts import check_stale
from smartcity.models import Alert, AssetState

from .conftest import ts, wait_until


def open_alerts(asset, code=None):
    qs = Alert.objects.filter(asset=asset, closed_at__isnull=True)
    return qs.filter(rule__code=code) if code else qs


@pytest.mark.django_db(transaction=True)
def test_container_filled_then_emptied_over_mqtt(worker, publisher, make_asset, make_device):
    bin_ = make_asset("WasteContainer")
    device, token = make_device(kinds=("WasteContainer",))

    def send(level: float, seconds_ago: float) -> None:
        publisher.send("WasteContainer", bin_.asset_id, {"deviceId": device.device_id, "token": token,
                                                         "dateObserved": ts(seconds_ago), "fillingLevel": level})

    send(0.5, 40)
    send(0.85, 30)  # over 80 %: a collection task opens
    alert = wait_until(lambda: open_alerts(bin_, "collection").first())
    assert alert.values == {"fillingLevel": 0.85}
    send(0.6, 20)  # below 80 % but above the 30 % "clear" level: still waiting for the truck
    wait_until(lambda: AssetState.objects.get(asset=bin_).state["fillingLevel"] == 0.6)
    assert open_alerts(bin_, "collection").count() == 1
    send(0.02, 10)  # emptied: the task closes itself
    wait_until(lambda: not open_alerts(bin_, "collection").exists())
    alert.refresh_from_db()
    assert alert.closed_at is not None


@pytest.mark.django_db(transaction=True)
def test_signal_fault_then_normal_over_mqtt(worker, publisher, make_asset, make_device):
    signal = make_asset("TrafficSignal")
    device, token = make_device(kinds=("TrafficSignal",))
    for mode, ago in (("normal", 30), ("fault", 20)):
        publisher.send("TrafficSignal", signal.asset_id, {"deviceId": device.device_id, "token": token,
                                                          "dateObserved": ts(ago), "mode": mode})
    alert = wait_until(lambda: open_alerts(signal, "mode").first())
    assert alert.values == {"mode": "fault"} and alert.rule.severity == "critical"
    publisher.send("TrafficSignal", signal.asset_id, {"deviceId": device.device_id, "token": token,
                                                      "dateObserved": ts(10), "mode": "normal"})
    wait_until(lambda: not open_alerts(signal).exists())
    assert Alert.objects.filter(asset=signal).count() == 1  # one alert, opened and closed


def post(client, token, asset, seconds_ago=1.0, **values):
    body = {"id": asset.asset_id, "type": asset.kind_id, "dateObserved": ts(seconds_ago), **values}
    r = client.post("/api/smartcity/readings/", json.dumps(body), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201, r.json()
    return r.json()


@pytest.mark.django_db
def test_car_park_full_by_spaces_or_occupancy(client, make_asset, make_device):
    park = make_asset("OffStreetParking")
    _, token = make_device(kinds=("OffStreetParking",))
    post(client, token, park, 30, availableSpotNumber=0, totalSpotNumber=80)
    assert open_alerts(park, "full").count() == 1
    post(client, token, park, 20, availableSpotNumber=12)
    assert not open_alerts(park, "full").exists()
    post(client, token, park, 10, availableSpotNumber=1, occupancy=0.99)
    assert open_alerts(park, "full").count() == 1
    assert Alert.objects.filter(asset=park, rule__code="full").count() == 2


@pytest.mark.django_db
def test_asset_threshold_overrides_the_rule(client, make_asset, make_device):
    bin_ = make_asset("WasteContainer", fullnessThreshold=0.6)
    _, token = make_device(assets=(bin_,))
    post(client, token, bin_, 10, fillingLevel=0.65)
    assert open_alerts(bin_, "collection").exists()


@pytest.mark.django_db
def test_late_reading_does_not_reopen(client, make_asset, make_device):
    signal = make_asset("TrafficSignal")
    _, token = make_device(kinds=("TrafficSignal",))
    post(client, token, signal, 10, mode="normal")
    post(client, token, signal, 60, mode="fault")  # older than the state: stored, but the state stays
    assert not open_alerts(signal).exists()


@pytest.mark.django_db
def test_stale_opens_on_the_clock_and_closes_on_a_reading(client, make_asset, make_device):
    park = make_asset("OffStreetParking")
    _, token = make_device(kinds=("OffStreetParking",))
    post(client, token, park, 60 * 60, occupancy=0.3)  # an hour ago; the rule allows 15 minutes
    never = make_asset("OffStreetParking")  # never reported: not a sensor yet, not stale
    call_command("check_stale", stdout=io.StringIO())
    alert = open_alerts(park, "stale").get()
    assert alert.values["silentMinutes"] >= 59
    assert not open_alerts(never).exists()
    call_command("check_stale", stdout=io.StringIO())
    assert Alert.objects.filter(asset=park, rule__code="stale").count() == 1  # still one
    post(client, token, park, 5, occupancy=0.35)
    assert not open_alerts(park, "stale").exists()


@pytest.mark.django_db
def test_stale_closed_by_the_clock_when_state_is_fresh(make_asset):
    park = make_asset("OffStreetParking")
    now = timezone.now()
    AssetState.objects.create(asset=park, observed_at=now - timedelta(hours=2), received_at=now, state={})
    assert check_stale() == (1, 0)
    AssetState.objects.filter(asset=park).update(observed_at=now)
    assert check_stale() == (0, 1)


@pytest.mark.django_db
def test_alert_api_and_acknowledge(client, staff, make_asset, make_device, django_user_model):
    signal = make_asset("TrafficSignal")
    _, token = make_device(kinds=("TrafficSignal",))
    post(client, token, signal, 5, mode="flashing")
    assert client.get("/api/smartcity/alerts/").status_code == 401
    nobody = django_user_model.objects.create_user("vatandas", password="pw")
    client.force_login(nobody)
    assert client.get("/api/smartcity/alerts/").status_code == 403
    client.force_login(staff)
    listed = client.get(f"/api/smartcity/alerts/?asset={signal.asset_id}").json()
    assert listed["count"] == 1
    item = listed["alerts"][0]
    assert item["rule"] == "mode" and item["values"] == {"mode": "flashing"} and item["acknowledgedAt"] is None
    acked = client.post(f"/api/smartcity/alerts/{item['id']}/acknowledge/").json()
    assert acked["acknowledgedBy"] == "akilli" and acked["acknowledgedAt"]
    again = client.post(f"/api/smartcity/alerts/{item['id']}/acknowledge/").json()
    assert again["acknowledgedAt"] == acked["acknowledgedAt"]  # the first acknowledgement stands
    assert client.get("/api/smartcity/alerts/?state=closed").json()["count"] == 0
    assert client.get("/api/smartcity/alerts/?state=bogus").status_code == 400
