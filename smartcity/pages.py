"""The smart-city unit's pages: indicators dashboard, live map, an asset's page with its last
day as a chart, alerts (with acknowledgement) and dead letters. Charts and map draw from the
JSON APIs with Chart.js and Leaflet served from node_modules (vendor/), nothing from outside."""

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from geo.api.responses import json_errors
from smartcity import alerts as alert_service
from smartcity import indicators
from smartcity.access import can_acknowledge, can_watch, kind_is_public, require_watch
from smartcity.api.alerts import alert_query
from smartcity.kinds import STATES, kinds
from smartcity.models import Alert, Asset, AssetKind, DeadLetter


def chart_labels() -> dict:
    """Words the scripts show, translated here so the JavaScript carries no UI text of its own."""
    return {
        "containers": _("Konteyner sayısı"), "uptime": _("Normal modda"), "stale": _("Sessiz sensör"),
        "free": _("boş yer"), "fill": _("doluluk"), "noData": _("veri yok"), "staleData": _("sessiz"),
        "details": _("Ayrıntılar"), "lastReading": _("Son okuma"), "openAlerts": _("açık uyarı"),
        "modes": {"normal": _("normal"), "flashing": _("flaşör"), "off": _("kapalı"), "fault": _("arıza"),
                  "unknown": _("bilinmiyor")},
        "kinds": {k.type: k.title_tr for k in AssetKind.objects.all()},
    }


def live_map_config() -> dict:
    """What the live map draws, from the kinds' declarations (smartcity.kinds): one layer per kind
    that declares a map style and has a row, its colour rule and legend, and the states' colours."""
    lang = "en" if (get_language() or "tr").startswith("en") else "tr"
    rows = set(AssetKind.objects.values_list("type", flat=True))
    return {
        "states": {name: {"colour": colour, "label": str(label)} for name, (colour, label) in STATES.items()},
        "kinds": [{"type": k.type, "title": k.title_en if lang == "en" else k.title_tr, "colour": k.colour,
                   "url": reverse("smartcity-live", args=[k.type]), "style": k.map.as_json(lang)}
                  for k in kinds() if k.map is not None and k.type in rows],
    }


def _unit_only(request: HttpRequest) -> HttpResponse | None:
    """A login redirect for strangers, 403 for users outside the smart-city unit, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_watch(request.user):
        raise PermissionDenied
    return None


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return _unit_only(request) or view(request, *args, **kwargs)
    return wrapped


@require_GET
@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "smartcity/dashboard.html", {"hours": 24, "labels": chart_labels()})


@require_GET
@json_errors
def indicators_api(request: HttpRequest) -> JsonResponse:
    require_watch(request.user)
    raw = request.GET.get("hours", "24")
    hours = min(int(raw), 24 * 31) if raw.isdigit() and int(raw) > 0 else 24
    return JsonResponse(indicators.dashboard(hours=hours))


@require_GET
@staff_page
def live_map(request: HttpRequest) -> HttpResponse:
    return render(request, "smartcity/map.html", {"live": live_map_config(), "labels": chart_labels()})


@require_GET
def asset_page(request: HttpRequest, asset_id: str) -> HttpResponse:
    asset = get_object_or_404(Asset.objects.select_related("kind"), asset_id=asset_id)
    if not kind_is_public(asset.kind) and (refused := _unit_only(request)):
        return refused
    state = getattr(asset, "state", None)
    alerts = asset.alerts.filter(closed_at__isnull=True).select_related("rule") if can_watch(request.user) else []
    charted = [{"name": n, "enum": s.get("enum")} for n, s in asset.kind.schema.get("properties", {}).items()
               if s.get("type") in {"number", "integer"} or "enum" in s]
    return render(request, "smartcity/asset.html", {
        "asset": asset, "state": state, "alerts": alerts, "charted": charted, "labels": chart_labels(),
        "state_rows": sorted((state.state if state else {}).items())})


@require_GET
@staff_page
def alert_page(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("state", "open")
    page = Paginator(alert_query(params), 50).get_page(request.GET.get("page"))
    return render(request, "smartcity/alerts.html", {
        "page": page, "state": params["state"], "can_ack": can_acknowledge(request.user)})


@require_POST
@staff_page
def acknowledge_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_acknowledge(request.user):
        raise PermissionDenied
    alert_service.acknowledge(get_object_or_404(Alert, pk=pk), request.user)
    return redirect(request.POST.get("next") or "smartcity-alerts")


@require_GET
@staff_page
def dead_letter_page(request: HttpRequest) -> HttpResponse:
    qs = DeadLetter.objects.all()
    reason = request.GET.get("reason", "")
    if reason:
        qs = qs.filter(reason=reason)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "smartcity/dead_letters.html", {
        "page": page, "reason": reason, "reasons": DeadLetter.Reason.choices})
