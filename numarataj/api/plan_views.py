"""Numbering from the browser: start a plan (a street, an area drawn on the map, one new building,
or a whole ilçe as a background job), and after approval the plan's documents in one click
(plate accruals, the cards of the changed doors as one PDF, units for a door that has none).

The views parse the request and call the services (numbering, plan_documents, geo.jobs); the
services check the officer's rights and raise domain errors that carry their status."""

import json
from typing import Any

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Polygon
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo import jobs
from geo.api.responses import json_errors, json_object
from geo.editor.mapbase import map_config
from geo.errors import InvalidInput, KentError
from numarataj.models import Adres, Csbm, Ilce, NumberingPlan, Yapi
from numarataj.services import cards, numbering, plan_documents
from numarataj.services.register import require_register_editor

from .documents_views import verify_url
from .register_views import officer_page

_JSON = {"ensure_ascii": False}
PICK_LIMIT = 500  # rows a start-form list offers; the map picks any
MAP_LIMIT = 3000  # features the start map draws for the view


def _id(raw: str | None, field: str) -> int:
    if not raw or not raw.isdigit():
        raise InvalidInput(_("%(field)s seçilmedi. (%(field)s was not chosen.)") % {"field": field}, field=field)
    return int(raw)


def _area(raw: str) -> GEOSGeometry:
    """A GeoJSON polygon drawn on the map (EPSG:4326)."""
    try:
        geom = GEOSGeometry(raw, srid=4326)
    except (GDALException, GEOSException, ValueError, TypeError) as e:
        raise InvalidInput(_("Alan okunamadı: haritada bir çokgen çizin. (Draw a polygon on the map.)"),
                           field="alan") from e
    geom.srid = 4326
    return geom


def start_plan(request: HttpRequest, data: Any) -> str:
    """Start what the form asked for; returns where to send the officer (the plan or the job page)."""
    kind = data.get("tur", "")
    if kind == "sokak":
        csbm = get_object_or_404(Csbm, pk=_id(data.get("csbm"), "csbm"))
        plan = numbering.plan_street(csbm, user=request.user)
    elif kind == "alan":
        plan = numbering.plan_area(_area(data.get("alan", "")), user=request.user)
    elif kind == "ara":
        yapi = get_object_or_404(Yapi, pk=_id(data.get("yapi"), "yapi"))
        plan = numbering.plan_infill(yapi, user=request.user)
    elif kind == "ilce":
        require_register_editor(request.user)
        ilce = get_object_or_404(Ilce, pk=_id(data.get("ilce"), "ilce"))
        job = jobs.submit("number_district", request.user, ilce=ilce.pk)
        return reverse("geo-job", args=[job.pk])
    else:
        raise InvalidInput(_("Plan türü seçilmedi. (Choose what to number.)"), field="tur")
    return reverse("numarataj-plan", args=[plan.pk])


def _start_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "csbmler": Csbm.objects.select_related("ilce").order_by("ilce__ad", "ad", "numara")[:PICK_LIMIT],
        "yapilar": Yapi.objects.filter(adresler__isnull=True).select_related("mahalle")
                   .order_by("mahalle__ad", "pk")[:PICK_LIMIT],
        "ilceler": Ilce.objects.select_related("il").order_by("ad"),
        "config": {"map": map_config(request), "layerUrl": reverse("numarataj-plan-start-map"),
                   "messages": {"street": _("Sokak"), "building": _("Kapısız yapı"),
                                "drawn": _("Alan çizildi."), "draw": _("Alan çiz"),
                                "zoom": _("Sokakları ve kapısız yapıları haritada seçmek için yakınlaştırın.")}},
    }


@require_http_methods(["GET", "POST"])
@officer_page
def plan_start(request: HttpRequest) -> HttpResponse:
    """The start form: a street, a drawn area, a building without a door, or a whole ilçe."""
    context = _start_context(request)
    if request.method == "GET":
        return render(request, "numarataj/register/plan_start.html", context)
    try:
        return redirect(start_plan(request, request.POST))
    except KentError as e:
        context.update(error=e.message, chosen=request.POST)
        return render(request, "numarataj/register/plan_start.html", context, status=e.status)


@require_POST
@json_errors
def number_area(request: HttpRequest) -> JsonResponse:
    """POST {"alan": <GeoJSON polygon>}: the plan of the streets crossing it (201)."""
    raw = json_object(request).get("alan")
    plan = numbering.plan_area(_area(json.dumps(raw) if isinstance(raw, dict) else str(raw or "")),
                               user=request.user)
    return JsonResponse({"id": plan.pk, "tur": plan.tur, "durum": plan.durum, "ozet": plan.ozet,
                         "url": reverse("numarataj-plan", args=[plan.pk])}, status=201, json_dumps_params=_JSON)


def _bbox(raw: str) -> Polygon:
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError as e:
        raise InvalidInput(_("bbox: batı,güney,doğu,kuzey olmalı. (bbox must be west,south,east,north.)"),
                           bbox=raw[:80]) from e
    return Polygon.from_bbox((west, south, east, north))


@require_GET
@json_errors
def start_map(request: HttpRequest) -> JsonResponse:
    """Streets and buildings without a door in the map's view, to pick on the start map."""
    require_register_editor(request.user)
    box = _bbox(request.GET.get("bbox", ""))
    box.srid = 4326
    features = [{"type": "Feature", "geometry": json.loads(c.geom.geojson),
                 "properties": {"kind": "csbm", "id": c.pk, "ad": c.tam_ad}}
                for c in Csbm.objects.filter(geom__intersects=box).only("pk", "geom", "ad", "numara", "tur")
                [:MAP_LIMIT]]
    features += [{"type": "Feature", "geometry": json.loads(g.geojson), "properties": {"kind": "yapi", "id": pk}}
                 for pk, g in Yapi.objects.filter(geom__intersects=box, adresler__isnull=True)
                 .values_list("pk", "geom")[:MAP_LIMIT]]
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params=_JSON)


# ---- after approval ---------------------------------------------------------------------------

@require_POST
@json_errors
def documents(request: HttpRequest, pk: int) -> JsonResponse:
    """The one click: plate accruals (once) and the cards of the changed doors."""
    plan = NumberingPlan.objects.get(pk=pk)
    result = plan_documents.issue(plan, user=request.user)
    result["links"] = {"levha_pdf": reverse("numarataj-plan-signs-pdf", args=[pk]),
                       "levha_csv": reverse("numarataj-plan-signs-csv", args=[pk]),
                       "kartlar_pdf": reverse("numarataj-plan-cards", args=[pk])}
    return JsonResponse(result, json_dumps_params=_JSON)


@require_GET
@json_errors
def cards_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every card issued for the plan, one a page."""
    require_register_editor(request.user)
    plan = NumberingPlan.objects.get(pk=pk)
    issued = plan_documents.plan_cards(plan)
    if not issued:
        raise InvalidInput(_("Bu plan için henüz kart düzenlenmedi. (No card was issued for this plan yet.)"))
    body = cards.cards_pdf([(c, verify_url(request, c)) for c in issued], title=f"Adres kartları — plan #{pk}")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kartlar-plan-{pk}.pdf"'
    return response


@require_POST
@json_errors
def add_units(request: HttpRequest, pk: int) -> JsonResponse:
    """Units for a door that has none (form fields adres, adet), so its card can be issued."""
    plan = NumberingPlan.objects.get(pk=pk)
    data = json_object(request) if request.content_type == "application/json" else request.POST
    adres = Adres.objects.get(pk=_id(str(data.get("adres", "")), "adres"))
    units = plan_documents.add_units(plan, adres, _id(str(data.get("adet", "")), "adet"), user=request.user)
    return JsonResponse({"adres": adres.pk, "bolumler": [u.ic_kapi_no for u in units]}, status=201,
                        json_dumps_params=_JSON)
