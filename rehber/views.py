"""Pages and JSON of the city guide: /rehber/, /kiosk/<id>/ and /api/rehber/…

The page carries everything its first view needs (categories, public layers, the municipality's
extent, the kiosk, the tr/en strings of its scripts) so it is interactive without a second round
trip; suggestions, cards and category places come from the in-memory index on demand."""

import time
from typing import Any

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Point
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from geo.api.responses import json_errors
from geo.errors import InvalidInput, NotFound
from numarataj.models import Mahalle
from rehber.models import Kiosk

from . import cards, search
from .access import public_layers
from .categories import by_slug, categories
from .i18n import JS_STRINGS
from .index import get_index, warm_up
from .kiosk import LANGS, View, active_kiosk, public_guide_url, qr_svg

FALLBACK_EXTENT = (32.80, 39.90, 32.90, 39.96)  # central Ankara, until a register is loaded
_SENTINEL = (97531, 86420, 75319)


def _url(name: str, *args: Any) -> str | None:
    """The path of a named URL of another part of Kent, or None when that part is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _tile_template(name: str, *args: Any) -> str | None:
    """'/tiles/…/{z}/{x}/{y}{r}.png' for a named z/x/y tile route (Leaflet fills {r} with '@2x')."""
    url = _url(name, *args, *_SENTINEL)
    tail = "/".join(map(str, _SENTINEL)) + ".png"
    return url[: -len(tail)] + "{z}/{x}/{y}{r}.png" if url and url.endswith(tail) else None


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "tr")
    return lang if lang in LANGS else "tr"


def _extent() -> tuple[float, float, float, float]:
    extent = Mahalle.objects.aggregate(e=Extent("geom"))["e"]
    return tuple(extent) if extent else FALLBACK_EXTENT


def page_config(lang: str, kiosk: Kiosk | None) -> dict[str, Any]:
    layers = public_layers()
    live = _url("smartcity-live", "KIND")
    return {
        "lang": lang,
        "extent": _extent(),
        "kiosk": None if kiosk is None else {
            "id": kiosk.kiosk_id, "name": kiosk.name, "lat": kiosk.location.y, "lon": kiosk.location.x,
            "zoom": kiosk.home_zoom, "idle": kiosk.idle_seconds},
        "urls": {
            "page": reverse("rehber-kiosk", args=[kiosk.kiosk_id]) if kiosk else reverse("rehber"),
            "suggest": reverse("rehber-oner"), "card": reverse("rehber-kart", args=["REF"]),
            "category": reverse("rehber-kategori", args=["SLUG"]), "here": reverse("rehber-burada"),
            "qr": reverse("rehber-qr"), "basemap": _tile_template("tiles-basemap"),
            "live": live.replace("KIND", "{kind}") if live else None,
            "decisions": _url("numarataj-api-kararlar"),
        },
        "categories": [{"slug": c.slug, "title": c.title(lang), "colour": c.colour, "live": c.live_kind}
                       for c in categories()],
        "layers": [{"slug": lyr.slug, "title": (lyr.title_en or lyr.title_tr) if lang == "en" else lyr.title_tr,
                    "tiles": _tile_template("tiles-layer", lyr.slug)} for lyr in layers],
        "strings": JS_STRINGS,
    }


def _render_guide(request: HttpRequest, kiosk: Kiosk | None) -> HttpResponse:
    lang = _lang(request)
    warm_up()
    with translation.override(lang):
        response = render(request, "rehber/guide.html", {
            "config": page_config(lang, kiosk), "kiosk": kiosk, "lang": lang,
            "decisions_page": _url("numarataj-kararlar"), "categories": categories(),
            "street_kiosk": None if kiosk else Kiosk.objects.filter(active=True).first(),
            "other_lang": "en" if lang == "tr" else "tr"})
    response["Content-Language"] = lang
    return response


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    return _render_guide(request, None)


@require_GET
def kiosk_page(request: HttpRequest, kiosk_id: str) -> HttpResponse:
    kiosk = active_kiosk(kiosk_id)
    if kiosk is None:
        with translation.override(_lang(request)):
            return render(request, "rehber/kiosk_404.html", {"kiosk_id": kiosk_id[:60]}, status=404)
    return _render_guide(request, kiosk)


def _near(request: HttpRequest) -> tuple[float, float] | None:
    """'lat,lon' to rank equal suggestions by distance; ignored when malformed (it is only a hint)."""
    try:
        lat, lon = (float(v) for v in request.GET.get("near", "").split(",", 1))
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "")
    return int(raw) if raw.isdigit() and len(raw) < 4 else search.DEFAULT_LIMIT


@require_GET
@json_errors
def api_suggest(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    results = search.suggest(request.GET.get("q", ""), _limit(request), _near(request))
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=15"
    response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@require_GET
@json_errors
def api_card(request: HttpRequest, ref: str) -> JsonResponse:
    response = JsonResponse(cards.card(ref), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=15"
    return response


@require_GET
@json_errors
def api_category(request: HttpRequest, slug: str) -> JsonResponse:
    if slug not in by_slug():
        raise NotFound(f"'{slug[:40]}' adında bir kategori yok. (No such category.)")
    entries = get_index().categories.get(slug, [])
    features = [{"type": "Feature", "id": e.ref, "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                 "properties": {"ref": e.ref, "label": e.label, **e.extra}} for e in entries]
    response = JsonResponse({"type": "FeatureCollection", "category": slug, "features": features},
                            json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "public, max-age=15"
    return response


@require_GET
@json_errors
def api_here(request: HttpRequest) -> JsonResponse:
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
    except ValueError:
        raise InvalidInput("'lat' ve 'lon' sayı olmalı. ('lat' and 'lon' must be numbers.)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("Konum geçersiz. (Location out of range.)")
    return JsonResponse({"ref": cards.what_is_at(Point(lon, lat, srid=4326))})


@require_GET
@json_errors
def api_qr(request: HttpRequest) -> HttpResponse:
    view = View.from_query(request.GET)
    response = HttpResponse(qr_svg(public_guide_url(request, view)), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response
