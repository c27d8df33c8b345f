"""GET /api/smartcity/alerts/ (staff): alerts, open ones by default; POST …/<id>/acknowledge/."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from geo.api.responses import json_errors
from geo.errors import Forbidden, InvalidInput
from smartcity import alerts as alert_service
from smartcity.access import can_acknowledge, require_watch
from smartcity.models import Alert


def alert_json(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk, "rule": a.rule.code, "title": a.rule.title_tr, "titleEn": a.rule.title_en,
        "severity": a.rule.severity, "assetId": a.asset.asset_id, "assetName": a.asset.name,
        "type": a.asset.kind_id, "openedAt": a.opened_at.isoformat(),
        "closedAt": a.closed_at.isoformat() if a.closed_at else None,
        "observedAt": a.observed_at.isoformat() if a.observed_at else None, "values": a.values,
        "acknowledgedBy": a.acknowledged_by.get_username() if a.acknowledged_by else None,
        "acknowledgedAt": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
    }


def alert_query(params: Any) -> Any:
    """Alerts filtered by state (open/closed/all), kind, asset and rule, newest first."""
    state = params.get("state", "open")
    qs = Alert.objects.select_related("rule", "asset", "acknowledged_by")
    if state == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    elif state != "all":
        raise InvalidInput("'state' open, closed ya da all olmalı. ('state' must be open, closed or all.)")
    for param, field in (("type", "asset__kind_id"), ("asset", "asset__asset_id"), ("rule", "rule__code")):
        if params.get(param):
            qs = qs.filter(**{field: params[param]})
    return qs


@require_GET
@json_errors
def alert_list(request: HttpRequest) -> JsonResponse:
    require_watch(request.user)
    raw = request.GET.get("limit", "500")
    limit = min(int(raw), 5000) if raw.isdigit() and int(raw) > 0 else 500
    rows = list(alert_query(request.GET)[:limit])
    return JsonResponse({"count": len(rows), "alerts": [alert_json(a) for a in rows]})


@require_POST
@json_errors
def acknowledge(request: HttpRequest, pk: int) -> JsonResponse:
    require_watch(request.user)
    if not can_acknowledge(request.user):
        raise Forbidden("Uyarıyı onaylama yetkiniz yok. (Not allowed to acknowledge alerts.)")
    alert = Alert.objects.select_related("rule", "asset", "acknowledged_by").get(pk=pk)
    return JsonResponse(alert_json(alert_service.acknowledge(alert, request.user)))
