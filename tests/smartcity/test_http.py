"""POST /api/smartcity/readings/: single readings, batches, NGSI-LD entities; 401, 403, 413, 422."""

import json

import pytest

from smartcity.models import AssetState, DeadLetter, Observation

from .conftest import ts

URL = "/api/smartcity/readings/"
R = DeadLetter.Reason


@pytest.fixture
def bin_(make_asset):
    return make_asset("WasteContainer", binCapacity=1100)


@pytest.fixture
def token(make_device, bin_):
    return make_device(kinds=("WasteContainer",))[1]


def post(client, body, token=None, header="bearer", **extra):
    if token and header == "bearer":
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    elif token:
        extra["HTTP_X_DEVICE_TOKEN"] = token
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **extra)


def test_single_reading(client, bin_, token):
    r = post(client, {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(5), "fillingLevel": 0.42},
             token)
    assert r.status_code == 201, r.json()
    assert r.json()["stored"] == 1
    assert Observation.objects.get(asset_id=bin_.pk).data == {"fillingLevel": 0.42}
    assert AssetState.objects.get(asset=bin_).state == {"fillingLevel": 0.42}
    again = post(client, {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(5),
                          "fillingLevel": 0.42}, token, header="x-device-token")
    assert again.status_code in (200, 201)


def test_duplicate_answers_200(client, bin_, token):
    reading = {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(5), "fillingLevel": 0.4}
    assert post(client, reading, token).status_code == 201
    r = post(client, reading, token)
    assert r.status_code == 200 and r.json()["duplicates"] == 1
    assert Observation.objects.filter(asset_id=bin_.pk).count() == 1


def test_batch_stores_good_and_lists_bad(client, bin_, token):
    urn = f"urn:ngsi-ld:WasteContainer:{bin_.asset_id}"
    batch = [{"id": urn, "dateObserved": ts(30), "fillingLevel": 0.1},
             {"id": urn, "dateObserved": ts(20), "fillingLevel": 0.2},
             {"id": urn, "dateObserved": ts(10), "fillingLevel": 2.5},
             {"id": "urn:ngsi-ld:WasteContainer:nope", "dateObserved": ts(10), "fillingLevel": 0.3}]
    r = post(client, batch, token)
    assert r.status_code == 201
    body = r.json()
    assert body["stored"] == 2
    assert [(x["index"], x["reason"]) for x in body["rejected"]] == [(2, R.INVALID), (3, R.UNKNOWN_ASSET)]
    assert DeadLetter.objects.filter(source="http").count() == 2
    assert AssetState.objects.get(asset=bin_).state["fillingLevel"] == 0.2


def test_ngsi_ld_normalized_entity(client, bin_, token):
    at = ts(3)
    entity = {"id": f"urn:ngsi-ld:WasteContainer:{bin_.asset_id}", "type": "WasteContainer",
              "@context": ["https://smartdatamodels.org/context.jsonld"],
              "fillingLevel": {"type": "Property", "value": 0.7, "observedAt": at},
              "temperature": {"type": "Property", "value": 21.5, "observedAt": at},
              "status": {"type": "Property", "value": "ok"}}
    r = post(client, entity, token)
    assert r.status_code == 201, r.json()
    obs = Observation.objects.get(asset_id=bin_.pk)
    assert obs.data == {"fillingLevel": 0.7, "temperature": 21.5, "status": "ok"}
    assert obs.observed_at.isoformat(timespec="milliseconds").replace("+00:00", "") == at.replace("+00:00", "")


def test_no_token_401(client, bin_):
    r = post(client, {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(), "fillingLevel": 0.1})
    assert r.status_code == 401 and r.json()["code"] == "NotAuthenticated"


def test_unknown_token_401(client, bin_, token):
    r = post(client, {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(), "fillingLevel": 0.1},
             "kd_not-a-real-token")
    assert r.status_code == 401
    assert not Observation.objects.filter(asset_id=bin_.pk).exists()
    assert not DeadLetter.objects.exists()  # strangers cannot fill the dead-letter table


def test_asset_not_allowed_403(client, make_asset, make_device):
    park = make_asset("OffStreetParking")
    bin_ = make_asset("WasteContainer")
    _, token = make_device(assets=(bin_,))
    r = post(client, {"id": park.asset_id, "type": "OffStreetParking", "dateObserved": ts(), "occupancy": 0.5},
             token)
    assert r.status_code == 403 and r.json()["code"] == R.FORBIDDEN
    assert DeadLetter.objects.get().reason == R.FORBIDDEN


def test_too_large_413(client, bin_, token, settings):
    settings.KENT_READINGS_HTTP_MAX_BYTES = 1000
    big = [{"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(i), "fillingLevel": 0.1}
           for i in range(50)]
    r = post(client, big, token)
    assert r.status_code == 413 and r.json()["code"] == "PayloadTooLarge"


@pytest.mark.parametrize(("body", "status", "reason"), [
    (b"{oops", 400, R.NOT_JSON),
    (b'"just a string"', 400, R.NOT_OBJECT),
    ({"fillingLevel": "high"}, 422, R.INVALID),
    ({"fillingLevel": 0.2, "dateObserved": "2999-01-01T00:00:00Z"}, 422, R.FUTURE),
])
def test_single_bad_reading_answers_with_its_reason(client, bin_, token, body, status, reason):
    if isinstance(body, dict):
        body = {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(), **body}
    r = post(client, body, token)
    assert r.status_code == status and r.json()["code"] == reason, r.json()
    assert DeadLetter.objects.get().reason == reason


def test_get_not_allowed(client):
    assert client.get(URL).status_code == 405
