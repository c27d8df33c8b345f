"""POST /api/smartcity/readings/ — readings over HTTP, for feeds that cannot speak MQTT.

Body: one reading, a list of readings, or NGSI-LD entities; a reading names its asset with
`id` ("urn:ngsi-ld:WasteContainer:wc-12", or a bare asset id with `type`) and carries values
by attribute name plus dateObserved (or NGSI-LD `observedAt`). The device authenticates with
`Authorization: Bearer <token>` or `X-Device-Token: <token>`.

Answers: 201 with counts when something new was stored, 200 when all were duplicates; a single
refused reading answers with its reason's status (403 not allowed, 422 invalid, …); in a batch,
refused items are listed by index and the rest are stored. 401 without a known device, 413 over
KENT_READINGS_HTTP_MAX_BYTES. Refused readings of a known device go to the dead letters."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from geo.api.responses import json_errors
from geo.errors import InvalidInput, NotAuthenticated, PayloadTooLarge
from smartcity import conf
from smartcity.errors import ReadingRejected
from smartcity.ingest import parse
from smartcity.ingest.directory import Directory
from smartcity.ingest.intake import Intake
from smartcity.ingest.messages import Envelope, Refusal
from smartcity.ingest.store import write_batch
from smartcity.models import DeadLetter

R = DeadLetter.Reason


def _token(request: HttpRequest) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.headers.get("X-Device-Token") or None


def _body(request: HttpRequest, limit: int) -> bytes:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"İstek {declared} bayt; en çok {limit} bayt. (Request too large.)", limit=limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(f"İstek {limit} bayttan büyük. (Request too large.)", limit=limit)
    return body


def _refusal_json(index: int, r: Refusal) -> dict:
    return {"index": index, "reason": r.reason, "description": r.detail}


@csrf_exempt
@require_POST
@json_errors
def readings(request: HttpRequest) -> JsonResponse:
    limit = conf.get("KENT_READINGS_HTTP_MAX_BYTES")
    token = _token(request)
    if not token:
        raise NotAuthenticated("Cihaz anahtarı gerekli: 'Authorization: Bearer <anahtar>' ya da 'X-Device-Token'. "
                               "(A device token is required.)")
    directory = Directory()
    device = directory.device(token)
    if device is None or not device.active:
        raise NotAuthenticated("Cihaz tanınmadı ya da iptal edilmiş. (Unknown or revoked device.)")
    raw = _body(request, limit)
    envelope = Envelope("http", request.path, raw, token=token)
    try:
        body = parse.decode(raw, limit)
    except ReadingRejected as e:
        write_batch([], [Refusal(envelope, e.reason, e.message, device=device.device_id)])
        raise
    single = not isinstance(body, list)
    items = [body] if single else body
    if not items:
        raise InvalidInput("Boş liste. (Empty batch.)")
    envelopes = [Envelope("http", request.path, obj=item, token=token, tag=i) for i, item in enumerate(items)]
    found, refusals = Intake(directory).sort(envelopes)
    result = write_batch(found, refusals)
    if single and refusals:
        r = refusals[0]
        raise ReadingRejected(r.reason, r.detail)
    status = 201 if result.stored else (200 if found else 422)
    if not found and refusals and len({r.reason for r in refusals}) == 1:
        status = ReadingRejected(refusals[0].reason, "").status
    return JsonResponse({"accepted": len(found), "stored": result.stored, "duplicates": result.duplicates,
                         "rejected": [_refusal_json(r.envelope.tag, r) for r in refusals],
                         "alerts": {"opened": result.opened, "closed": result.closed}}, status=status)
