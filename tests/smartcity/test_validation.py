"""Schema checks and payload parsing, without a broker or a database."""

from datetime import UTC, datetime, timedelta

import pytest

from smartcity.errors import ReadingRejected
from smartcity.ingest import directory, parse
from smartcity.kinds import KINDS
from smartcity.validation import check_attributes, observed_at

from .conftest import wait_until

SCHEMA = {k.type: k.schema for k in KINDS}
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
LIMITS = {"now": NOW, "max_future": timedelta(minutes=5), "max_age": timedelta(days=400)}


@pytest.mark.parametrize("data", [
    {"fillingLevel": 0}, {"fillingLevel": 1}, {"fillingLevel": 0.5, "status": "lidOpen", "temperature": -3},
    {"fillingLevel": None}, {"somethingElse": "kept"},
])
def test_good_container_values(data):
    check_attributes(SCHEMA["WasteContainer"], data)


@pytest.mark.parametrize(("type_name", "data", "fragment"), [
    ("WasteContainer", {"fillingLevel": True}, "number"),
    ("WasteContainer", {"fillingLevel": -0.1}, "minimum"),
    ("OffStreetParking", {"availableSpotNumber": 3.5}, "integer"),
    ("OffStreetParking", {"availableSpotNumber": -1}, "minimum"),
    ("TrafficSignal", {"mode": "disco"}, "disco"),
    ("ParkingSpot", {"status": 1}, "1"),
])
def test_bad_values_are_named(type_name, data, fragment):
    with pytest.raises(ReadingRejected) as e:
        check_attributes(SCHEMA[type_name], data)
    assert e.value.reason == "invalid" and fragment in e.value.message and e.value.status == 422


def test_every_problem_is_listed():
    with pytest.raises(ReadingRejected) as e:
        check_attributes(SCHEMA["OffStreetParking"], {"occupancy": 2, "totalSpotNumber": "many"})
    assert len(e.value.detail["problems"]) == 2


@pytest.mark.parametrize(("value", "reason"), [
    (None, "no_timestamp"), (1700000000, "bad_timestamp"), ("23.11.2026 12:00", "bad_timestamp"),
    ("2026-11-23T12:00:00", "bad_timestamp"), ("2026-11-23T12:06:00Z", "future"), ("2020-01-01T00:00:00Z", "too_old"),
])
def test_bad_timestamps(value, reason):
    with pytest.raises(ReadingRejected) as e:
        observed_at(value, **LIMITS)
    assert e.value.reason == reason


def test_timestamps_with_offsets_and_drift():
    assert observed_at("2026-11-23T15:04:00+03:00", **LIMITS) == NOW + timedelta(minutes=4)
    assert observed_at("2026-11-23T12:04:59Z", **LIMITS) > NOW  # small clock drift is fine


def test_decode_refuses_what_jsonb_would_choke_on():
    for raw in (b'{"a": NaN}', b'{"a": Infinity}', b"\xff", b"{"):
        with pytest.raises(ReadingRejected) as e:
            parse.decode(raw, 1000)
        assert e.value.reason == "not_json"
    with pytest.raises(ReadingRejected) as e:
        parse.decode(b'{"a": "x\\u0000y"}', 1000)
    assert e.value.reason == "invalid"
    with pytest.raises(ReadingRejected) as e:
        parse.decode(b"{}" + b" " * 2000, 1000)
    assert e.value.reason == "too_large" and e.value.status == 413


def test_topics_and_entity_ids():
    assert parse.split_topic("kent/WasteContainer/wc-12", "kent") == ("WasteContainer", "wc-12")
    for bad in ("kent/WasteContainer", "kent/a/b/c", "other/WasteContainer/wc-1", "kent//x"):
        with pytest.raises(ReadingRejected):
            parse.split_topic(bad, "kent")
    assert parse.split_entity_id("urn:ngsi-ld:WasteContainer:wc:12", None) == ("WasteContainer", "wc:12")
    assert parse.split_entity_id("wc-12", "WasteContainer") == ("WasteContainer", "wc-12")
    with pytest.raises(ReadingRejected) as e:
        parse.split_entity_id("urn:ngsi-ld:WasteContainer:wc-12", "OffStreetParking")
    assert e.value.reason == "kind_mismatch"


def test_ngsi_ld_properties_unwrapped():
    attrs = parse.attributes({
        "id": "urn:ngsi-ld:OffStreetParking:p1", "type": "OffStreetParking", "@context": [],
        "availableSpotNumber": {"type": "Property", "value": 12, "observedAt": "2026-11-23T11:00:00Z"},
        "occupancy": {"type": "Property", "value": 0.8, "observedAt": "2026-11-23T14:01:00+03:00"},
        "refParkingSite": {"type": "Relationship", "object": "urn:ngsi-ld:ParkingSite:x"},
        "dateModified": {"type": "Property", "value": {"@type": "DateTime", "@value": "2026-11-23T10:00:00Z"}},
        "deviceId": "d1", "token": "secret"})
    assert attrs == {"availableSpotNumber": 12, "occupancy": 0.8, "refParkingSite": "urn:ngsi-ld:ParkingSite:x",
                     "dateModified": "2026-11-23T10:00:00Z", "dateObserved": "2026-11-23T14:01:00+03:00"}


@pytest.mark.django_db
def test_directory_forgets_a_missing_asset_soon(make_asset):
    d = directory.Directory(ttl=30, missing_ttl=0.3)
    assert d.asset("yeni-konteyner") is None
    make_asset("WasteContainer", "yeni-konteyner")
    assert d.asset("yeni-konteyner") is None  # remembered as missing for a moment
    wait_until(lambda: d.prefetch(["yeni-konteyner"], []) or d.asset("yeni-konteyner"), timeout=5)
    assert d.asset("yeni-konteyner").kind == "WasteContainer"
