"""JSON API of textual address matching (one address, or a batch of up to BATCH_MAX).

Matching only reads the register and changes nothing, so the batch endpoint takes POST without a
CSRF token (other systems send lists of addresses; there is no session state to protect).
"""


from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from geo.api.responses import json_body, json_errors
from geo.errors import InvalidInput, PayloadTooLarge
from numarataj.services.matching import DEFAULT_LIMIT, MAX_LIMIT, MatchResult, match_address, match_addresses

BATCH_MAX = 1000
_JSON = {"ensure_ascii": False}


def _limit(value: object) -> int:
    """Candidates per address: 1..MAX_LIMIT, DEFAULT_LIMIT when absent."""
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("limit 1 ile %(max)s arasında bir tam sayı olmalı. (limit must be an integer from 1 to "
                             "%(max)s.)") % {"max": MAX_LIMIT}, limit=str(value)[:20])
    return limit


def _summary(results: list[MatchResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


@require_GET
@json_errors
def eslestir(request: HttpRequest) -> JsonResponse:
    """GET ?q=<adres>[&limit=5]: the best candidates; empty or over-long text is a 400."""
    q = request.GET.get("q")
    if q is None:
        raise InvalidInput(_("q parametresi gerekli (eşleştirilecek adres metni). (The q parameter, the address to "
                             "match, is required.)"))
    result = match_address(q, _limit(request.GET.get("limit")))
    if result.reason_code in {"empty", "too_long"}:
        raise InvalidInput(result.reason or "", status=result.status, reason_code=result.reason_code)
    return JsonResponse(result.as_dict(), json_dumps_params=_JSON)


@csrf_exempt
@require_POST
@json_errors
def eslestir_toplu(request: HttpRequest) -> JsonResponse:
    """POST a JSON list of strings, or {"addresses": [...], "limit": n}; one result per address."""
    body = json_body(request)
    addresses = body.get("addresses") if isinstance(body, dict) else body
    if not isinstance(addresses, list):
        raise InvalidInput(_('Adres listesi bekleniyor: ["...", ...] ya da {"addresses": ["...", ...]}. '
                             "(A list of addresses is expected.)"))
    if len(addresses) > BATCH_MAX:
        raise PayloadTooLarge(_("Bir istekte en çok %(max)s adres gönderilebilir (%(count)s geldi). (At most "
                                "%(max)s addresses per request.)") % {"max": BATCH_MAX, "count": len(addresses)},
                              max=BATCH_MAX, count=len(addresses))
    bad = [i for i, a in enumerate(addresses) if not isinstance(a, str)]
    if bad:
        raise InvalidInput(_("Her adres bir metin olmalı. (Every address must be a string.)"), indexes=bad[:20])
    limit = _limit(body.get("limit") if isinstance(body, dict) else request.GET.get("limit"))
    results = match_addresses(addresses, limit)
    return JsonResponse({"count": len(results), "summary": _summary(results),
                         "results": [r.as_dict() for r in results]}, json_dumps_params=_JSON)
