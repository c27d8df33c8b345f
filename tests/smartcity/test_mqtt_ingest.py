"""Readings through the real broker: stored, latest state forwards only, duplicates once,
refusals dead-lettered with their reason, and nothing lost across a worker restart."""

import json

import pytest

from smartcity.models import AssetState, DeadLetter, Observation

from .conftest import ts, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
R = DeadLetter.Reason


def stored(asset) -> int:
    return Observation.objects.filter(asset_id=asset.pk).count()


def test_reading_stored_and_latest_state_updated(worker, publisher, make_asset, make_device):
    park = make_asset("OffStreetParking", totalSpotNumber=100)
    device, token = make_device(kinds=("OffStreetParking",))
    publisher.send("OffStreetParking", park.asset_id, {
        "deviceId": device.device_id, "token": token, "dateObserved": ts(60),
        "totalSpotNumber": 100, "availableSpotNumber": 40, "occupancy": 0.6})
    wait_until(lambda: stored(park) == 1)
    obs = Observation.objects.get(asset_id=park.pk)
    assert obs.data == {"totalSpotNumber": 100, "availableSpotNumber": 40, "occupancy": 0.6}
    assert obs.device_id == device.pk
    state = wait_until(lambda: AssetState.objects.filter(asset=park).first())
    assert state.state["availableSpotNumber"] == 40 and state.observed_at == obs.observed_at
    device.refresh_from_db()
    assert device.last_seen_at is not None


def test_late_reading_kept_but_does_not_move_state_back(worker, publisher, make_asset, make_device):
    bin_ = make_asset("WasteContainer")
    device, token = make_device(assets=(bin_,))
    newer, older = ts(10), ts(600)
    publisher.send("WasteContainer", bin_.asset_id, {"deviceId": device.device_id, "token": token,
                                                     "dateObserved": newer, "fillingLevel": 0.5})
    wait_until(lambda: stored(bin_) == 1)
    publisher.send("WasteContainer", bin_.asset_id, {"deviceId": device.device_id, "token": token,
                                                     "dateObserved": older, "fillingLevel": 0.1, "temperature": 9.5})
    wait_until(lambda: stored(bin_) == 2)
    state = AssetState.objects.get(asset=bin_)
    assert state.state == {"fillingLevel": 0.5}
    history = list(Observation.objects.filter(asset_id=bin_.pk).order_by("observed_at").values_list("data", flat=True))
    assert [h["fillingLevel"] for h in history] == [0.1, 0.5]  # in time order, not arrival order


def test_duplicates_stored_once(worker, publisher, make_asset, make_device):
    signal = make_asset("TrafficSignal")
    device, token = make_device(kinds=("TrafficSignal",))
    reading = {"deviceId": device.device_id, "token": token, "dateObserved": ts(5), "mode": "normal",
               "currentPhase": "A"}
    for _ in range(3):
        publisher.send("TrafficSignal", signal.asset_id, reading)
    publisher.send("TrafficSignal", signal.asset_id, {**reading, "dateObserved": ts(1), "currentPhase": "B"})
    wait_until(lambda: worker.stats.acked >= 4)  # all four committed and acknowledged
    assert stored(signal) == 2
    assert worker.stats.totals.duplicates == 2
    assert AssetState.objects.get(asset=signal).state["currentPhase"] == "B"


BAD_INPUTS = [
    ("not-json", b"{not json", R.NOT_JSON),
    ("binary", b"\xff\xfe\x00binary", R.NOT_JSON),
    ("array", b"[1, 2, 3]", R.NOT_OBJECT),
    ("wrong-type", {"fillingLevel": "full"}, R.INVALID),
    ("out-of-range", {"fillingLevel": 1.7}, R.INVALID),
    ("not-in-enum", {"status": "exploded"}, R.INVALID),
    ("nan", {"fillingLevel": float("nan")}, R.NOT_JSON),  # json.dumps writes NaN, as a careless device would
    ("no-time", {"fillingLevel": 0.3, "dateObserved": None}, R.NO_TIMESTAMP),
    ("bad-time", {"fillingLevel": 0.3, "dateObserved": "yesterday"}, R.BAD_TIMESTAMP),
    ("naive-time", {"fillingLevel": 0.3, "dateObserved": "2026-01-01T10:00:00"}, R.BAD_TIMESTAMP),
    ("future", {"fillingLevel": 0.3, "dateObserved": "2999-01-01T00:00:00Z"}, R.FUTURE),
    ("too-old", {"fillingLevel": 0.3, "dateObserved": "2001-01-01T00:00:00Z"}, R.TOO_OLD),
]


def test_bad_readings_are_dead_lettered_with_their_reason(worker, publisher, make_asset, make_device):
    device, token = make_device(kinds=("WasteContainer",))
    bins = {case: make_asset("WasteContainer") for case, _, _ in BAD_INPUTS}
    for case, payload, _ in BAD_INPUTS:
        if isinstance(payload, dict):
            body = {"deviceId": device.device_id, "token": token, "dateObserved": ts(1), **payload}
            if body["dateObserved"] is None:
                del body["dateObserved"]
            payload = json.dumps(body)
        publisher.raw(f"{worker.root}/WasteContainer/{bins[case].asset_id}", payload)
    wait_until(lambda: DeadLetter.objects.filter(topic__startswith=worker.root).count() == len(BAD_INPUTS))
    for case, _, reason in BAD_INPUTS:
        dl = DeadLetter.objects.get(topic__endswith=f"/{bins[case].asset_id}")
        assert (case, dl.reason) == (case, reason), dl.detail
        assert dl.source == "mqtt" and dl.detail and dl.payload  # the raw bytes are kept
        assert dl.payload_base64 == (case == "binary")  # base64 only when the bytes are not text
        assert stored(bins[case]) == 0


def test_unknown_asset_kind_and_topic(worker, publisher, make_asset, make_device):
    device, token = make_device(kinds=("WasteContainer",))
    body = {"deviceId": device.device_id, "token": token, "dateObserved": ts(1), "fillingLevel": 0.2}
    publisher.send("WasteContainer", "no-such-bin", body)
    publisher.send("SpaceElevator", "se-1", body)
    park = make_asset("OffStreetParking")
    publisher.send("WasteContainer", park.asset_id, body)  # a car park is not a container
    wait_until(lambda: DeadLetter.objects.filter(topic__startswith=worker.root).count() == 3)
    reasons = {d.asset_ref: d.reason for d in DeadLetter.objects.filter(topic__startswith=worker.root)}
    assert reasons == {"WasteContainer/no-such-bin": R.UNKNOWN_ASSET, "SpaceElevator/se-1": R.UNKNOWN_KIND,
                       f"WasteContainer/{park.asset_id}": R.KIND_MISMATCH}


def test_unknown_device_refused(worker, publisher, make_asset, make_device):
    bin_ = make_asset("WasteContainer")
    device, token = make_device(kinds=("WasteContainer",))
    other_device, other_token = make_device(kinds=("OffStreetParking",))
    base = {"dateObserved": ts(1), "fillingLevel": 0.2}
    publisher.send("WasteContainer", bin_.asset_id, base)  # no credentials at all
    publisher.send("WasteContainer", bin_.asset_id, {**base, "deviceId": "intruder", "token": "kd_guess"})
    publisher.send("WasteContainer", bin_.asset_id, {**base, "deviceId": "intruder", "token": token})  # stolen
    publisher.send("WasteContainer", bin_.asset_id, {**base, "deviceId": other_device.device_id,
                                                     "token": other_token})  # known, but not for containers
    revoked, revoked_token = make_device(kinds=("WasteContainer",))
    revoked.active = False
    revoked.save()
    publisher.send("WasteContainer", bin_.asset_id, {**base, "deviceId": revoked.device_id, "token": revoked_token})
    wait_until(lambda: DeadLetter.objects.filter(topic__endswith=bin_.asset_id).count() == 5)
    reasons = sorted(DeadLetter.objects.filter(topic__endswith=bin_.asset_id).values_list("reason", flat=True))
    assert reasons == sorted([R.UNKNOWN_DEVICE] * 4 + [R.FORBIDDEN])
    assert stored(bin_) == 0


def test_worker_restart_loses_nothing(topic_root, kinds, publisher, make_asset, make_device):
    from .conftest import WorkerThread

    signal = make_asset("TrafficSignal")
    device, token = make_device(kinds=("TrafficSignal",))
    w = WorkerThread(topic_root)
    w.start()
    try:
        w.stop()  # the session (subscription + queue) stays in the broker
        for i in range(20):
            publisher.send("TrafficSignal", signal.asset_id, {"deviceId": device.device_id, "token": token,
                                                              "dateObserved": ts(100 - i), "mode": "normal"})
        assert stored(signal) == 0
        w.start()  # same client id, clean_start False: the broker delivers what it kept
        wait_until(lambda: stored(signal) == 20)
    finally:
        w.close()


def test_shared_subscription_splits_the_load(topic_root, kinds, publisher, make_asset, make_device):
    from .conftest import WorkerThread

    bins = [make_asset("WasteContainer") for _ in range(4)]
    device, token = make_device(kinds=("WasteContainer",))
    workers = [WorkerThread(topic_root), WorkerThread(topic_root)]
    for w in workers:
        w.start(shared=True)
    try:
        for i in range(40):
            publisher.send("WasteContainer", bins[i % 4].asset_id, {
                "deviceId": device.device_id, "token": token, "dateObserved": ts(100 - i), "fillingLevel": 0.1})
        wait_until(lambda: sum(stored(b) for b in bins) == 40)
        wait_until(lambda: sum(w.stats.acked for w in workers) == 40)
        assert all(w.stats.received > 0 for w in workers), [w.stats.received for w in workers]
    finally:
        for w in workers:
            w.close()
