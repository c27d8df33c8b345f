"""Read side of observations: an asset's history over a time range (capped, with a `next` link
to page on) and each kind's latest state as GeoJSON for map layers."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from geo.api.responses import json_errors
from geo.errors import InvalidInput, NotFound
from smartcity import conf
from smartcity.access import require_kind
from smartcity.models import Asset, AssetKind, Observation


def _when(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace(" ", "+"))  # a '+' in a query string arrives as ' '
    except ValueError:
        raise InvalidInput(f"'{name}' ISO 8601 olmalı: '{value}'. (Must be ISO 8601.)") from None
    return when if timezone.is_aware(when) else timezone.make_aware(when)


def time_range(request: HttpRequest) -> tuple[datetime, datetime]:
    """[from, to) from the query, default the last day; longer than the cap is refused."""
    to = _when(request.GET.get("to"), "to") or timezone.now()
    start = _when(request.GET.get("from"), "from") or to - timedelta(days=1)
    max_days = conf.get("KENT_OBSERVATIONS_API_MAX_DAYS")
    if start >= to:
        raise InvalidInput("'from', 'to'dan önce olmalı. ('from' must be before 'to'.)")
    if to - start > timedelta(days=max_days):
        raise InvalidInput(f"Aralık en çok {max_days} gün olabilir. (Range is capped.)", max_days=max_days)
    return start, to


def _limit(request: HttpRequest) -> int:
    cap = conf.get("KENT_OBSERVATIONS_API_MAX_ROWS")
    raw = request.GET.get("limit", str(cap))
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput("'limit' pozitif bir tam sayı olmalı. ('limit' must be a positive integer.)")
    return min(int(raw), cap)


@require_GET
@json_errors
def history(request: HttpRequest, asset_id: str) -> JsonResponse:
    asset = Asset.objects.select_related("kind").filter(asset_id=asset_id).first()
    if asset is None:
        raise NotFound(f"Varlık '{asset_id}' yok. (No such asset.)")
    require_kind(request.user, asset.kind)
    start, to = time_range(request)
    limit = _limit(request)
    rows = list(Observation.objects.filter(asset_id=asset.pk, observed_at__gte=start, observed_at__lt=to)
                .order_by("observed_at").values_list("observed_at", "data")[:limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]
    body: dict[str, Any] = {
        "assetId": asset.asset_id, "type": asset.kind_id, "from": start.isoformat(), "to": to.isoformat(),
        "count": len(rows), "truncated": truncated, "next": None,
        "observations": [{"dateObserved": at.isoformat(), **data} for at, data in rows]}
    if truncated:
        after = (rows[-1][0] + timedelta(microseconds=1)).isoformat()
        url = reverse("smartcity-history", args=[asset.asset_id])
        body["next"] = request.build_absolute_uri(f"{url}?from={after}&to={to.isoformat()}&limit={limit}")
    return JsonResponse(body)


def _stale_minutes(kind: AssetKind) -> int | None:
    rule = kind.rules.filter(active=True, stale_minutes__isnull=False).order_by("stale_minutes").first()
    return rule.stale_minutes if rule else None


@require_GET
@json_errors
def live(request: HttpRequest, type_name: str) -> JsonResponse:
    kind = AssetKind.objects.filter(type=type_name).first()
    if kind is None:
        raise NotFound(f"Varlık türü '{type_name}' yok. (No such kind.)")
    require_kind(request.user, kind)
    stale_minutes = _stale_minutes(kind)
    stale_before = timezone.now() - timedelta(minutes=stale_minutes) if stale_minutes else None
    assets = (Asset.objects.filter(kind=kind).select_related("state")
              .annotate(open_alerts=Count("alerts", filter=Q(alerts__closed_at__isnull=True))).order_by("asset_id"))
    features = []
    for a in assets:
        st = getattr(a, "state", None)
        props: dict[str, Any] = {"assetId": a.asset_id, "name": a.name, "type": kind.type,
                                 "observedAt": st.observed_at.isoformat() if st else None,
                                 "stale": bool(st and stale_before and st.observed_at < stale_before),
                                 "openAlerts": a.open_alerts, **(st.state if st else {})}
        features.append({"type": "Feature", "id": a.asset_id, "properties": props,
                         "geometry": {"type": "Point", "coordinates": [a.geom.x, a.geom.y]}})
    response = JsonResponse({"type": "FeatureCollection", "features": features,
                             "timeStamp": timezone.now().isoformat(), "numberReturned": len(features)})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "max-age=10"
    return response
