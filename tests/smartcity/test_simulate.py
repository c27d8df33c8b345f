"""simulate_feeds publishes believable readings for every asset; the worker stores them all."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from smartcity.kinds import KINDS
from smartcity.models import AssetState, DeadLetter, Device, Observation
from smartcity.simulation import City, parking_curve
from smartcity.validation import check_attributes

from .conftest import wait_until


@pytest.mark.django_db(transaction=True)
def test_simulated_city_lands_in_the_database(worker, make_asset, topic_root):
    assets = [make_asset(t) for t in ("OffStreetParking", "WasteContainer", "TrafficSignal", "ParkingSpot")]
    make_asset("Camera")  # cameras have nothing to simulate
    out = io.StringIO()
    call_command("simulate_feeds", "--duration", "1.5", "--rate", "40", "--time-scale", "600", stdout=out)
    published = int(out.getvalue().split("published ")[1].split()[0])
    assert published >= 40
    mine = Observation.objects.filter(asset_id__in=[a.pk for a in assets])  # the table outlives test flushes
    wait_until(lambda: mine.count() == published, timeout=20)
    assert not DeadLetter.objects.exists()
    assert AssetState.objects.filter(asset__in=assets).count() == 4
    assert Device.objects.get(device_id="kent-simulator").last_seen_at is not None


@pytest.mark.django_db
def test_simulated_values_follow_the_schema(make_asset):
    schemas = {k.type: k.schema for k in KINDS}
    assets = [make_asset(t) for t in ("OffStreetParking", "WasteContainer", "TrafficSignal", "ParkingSpot")]
    city = City(assets, time_scale=3600)
    start = datetime(2026, 3, 2, 5, tzinfo=UTC)
    emptied = 0
    for i in range(4 * 500):
        type_name, _, values = city.reading(i, start + timedelta(seconds=i))
        check_attributes(schemas[type_name], {k: v for k, v in values.items() if k != "dateObserved"})
        emptied += type_name == "WasteContainer" and values["fillingLevel"] < 0.06
    assert emptied, "containers get emptied"
    assert parking_curve(3) < 0.2 < 0.7 < parking_curve(12)
