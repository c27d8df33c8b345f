"""Pages and JSON endpoints of the register and the numbering engine: the MAKS conformance
report, numbering plans (make, review on the map, approve, reject, revert) and sign lists;
starting a plan from a form and the plan's documents are in plan_views.

Every page and endpoint is for numarataj officers (services/register.require_register_editor); the views
only parse the request and call the services, which raise domain errors with their status."""

import functools
import json
from collections import Counter
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from geo.api.responses import json_errors, json_object
from geo.editor.mapbase import map_config
from geo.errors import Forbidden, InvalidInput, NotAuthenticated
from numarataj.models import Adres, Csbm, Ilce, NumberingPlan, Yapi
from numarataj.services import conformance, levha, numbering, plan_documents, plans
from numarataj.services.register import require_register_editor

_JSON = {"ensure_ascii": False}
NEIGHBOURS = 2000  # numbered doors of an infill plan's street shown around the new one


def officer_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """HTML pages: anonymous users go to the login page, others without the role get 403."""
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            require_register_editor(request.user)
        except NotAuthenticated:
            return redirect_to_login(request.get_full_path())
        except Forbidden as e:
            return HttpResponseForbidden(e.message)
        return view(request, *args, **kwargs)
    return wrapped


def _ilce(request: HttpRequest) -> Ilce | None:
    raw = request.GET.get("ilce")
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(_("ilce bir sayı olmalı. (ilce must be an id.)"), ilce=raw[:20])
    return get_object_or_404(Ilce, pk=int(raw))


# ---- MAKS conformance ------------------------------------------------------------------------

@require_GET
@officer_page
@json_errors
def maks_report(request: HttpRequest) -> HttpResponse:
    """Every MAKS violation with a link to the map; ?format=json for machines, ?ilce=<id> to narrow."""
    ilce = _ilce(request)
    violations = conformance.report(ilce)
    links = conformance.map_links()
    rows = [{**v.as_dict(), "map_url": conformance.map_url(v, links)} for v in violations]
    if request.GET.get("format") == "json":
        return JsonResponse({"count": len(rows), "violations": rows}, json_dumps_params=_JSON)
    counts = Counter(v.rule for v in violations)
    rules = [{"code": code, "title": title, "count": counts.get(code, 0)}
             for code, title in conformance.rule_titles().items()]
    return render(request, "numarataj/register/maks_report.html",
                  {"rows": rows, "rules": rules, "ilce": ilce, "ilceler": Ilce.objects.order_by("ad")})


# ---- plans: pages ----------------------------------------------------------------------------

@require_GET
@officer_page
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "numarataj/register/plan_list.html",
                  {"plans": NumberingPlan.objects.select_related("ilce", "csbm", "olusturan", "karar_veren")[:200],
                   "ilceler": Ilce.objects.order_by("ad")})


@require_GET
@officer_page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(NumberingPlan.objects.select_related("ilce", "csbm"), pk=pk)
    items = plan.kalemler.select_related("csbm").order_by("csbm__ad", "csbm_id", "sira")
    approved = plan.durum == NumberingPlan.Durum.ONAYLANDI
    config = {"map": map_config(request), "geojson": reverse("numarataj-plan-geojson", args=[pk]),
              "documents": reverse("numarataj-plan-documents", args=[pk]),
              "units": reverse("numarataj-plan-units", args=[pk]),
              "messages": {"start": _("başlangıç"), "failed": _("İşlem yapılamadı."),
                           "left": _("sol (tek)"), "right": _("sağ (çift)"), "nostreet": _("60 m içinde CSBM yok")}}
    return render(request, "numarataj/register/plan_detail.html", {
        "plan": plan, "items": items, "config": config, "belgeler": plan_documents.record(plan),
        "sokaksiz": Yapi.objects.filter(pk__in=plan.ozet.get("sokaksiz_yapi", [])).select_related("mahalle"),
        "bolumsuz": plan_documents.doors_without_units(plan) if approved else []})


# ---- plans: JSON -----------------------------------------------------------------------------

def _feature(geom, props: dict) -> dict:
    return {"type": "Feature", "geometry": json.loads(geom.geojson), "properties": props}


@require_GET
@json_errors
def plan_geojson(request: HttpRequest, pk: int) -> JsonResponse:
    """The plan for the review map: doors with proposed numbers, their buildings, the streets and
    where each street's numbering starts (and why)."""
    require_register_editor(request.user)
    plan = NumberingPlan.objects.get(pk=pk)
    items = plan.kalemler.select_related("csbm")
    features = [_feature(i.geom, {"kind": "kapi", "no": i.onerilen_no, "eski": i.mevcut_no, "taraf": i.taraf,
                                  "degisiyor": i.degisiyor, "csbm": i.csbm.tam_ad, "sira": i.sira,
                                  "arsa": bool(i.arsa_id), "not": i.notlar}) for i in items]
    streets = Csbm.objects.filter(pk__in={i.csbm_id for i in items})
    features += [_feature(c.geom, {"kind": "csbm", "ad": c.tam_ad}) for c in streets]
    features += [_feature(y.geom, {"kind": "yapi"}) for y in Yapi.objects.filter(pk__in={i.yapi_id for i in items})]
    features += [{"type": "Feature", "geometry": {"type": "Point", "coordinates": s["baslangic"]},
                  "properties": {"kind": "baslangic", "ad": s["ad"], "neden": s["neden"]}}
                 for s in plan.ozet.get("sokaklar", []) if s.get("baslangic")]
    if plan.tur == NumberingPlan.Tur.ARA:
        features += _infill_context(streets, exclude_yapi={i.yapi_id for i in items})
    features += [_feature(y.geom, {"kind": "sokaksiz", "id": y.pk, "ad": str(y)})
                 for y in Yapi.objects.filter(pk__in=plan.ozet.get("sokaksiz_yapi", []))]
    if plan.ozet.get("alan"):
        features.append({"type": "Feature", "geometry": plan.ozet["alan"], "properties": {"kind": "alan"}})
    return JsonResponse({"type": "FeatureCollection", "features": features,
                         "plan": {"id": plan.pk, "durum": plan.durum, "ozet": plan.ozet}}, json_dumps_params=_JSON)


def _infill_context(streets, *, exclude_yapi: set[int]) -> list[dict]:
    """An infill plan lists only its new door: the street's start and its numbered doors, which
    the new number is read against, are added for the review map."""
    extra = []
    for csbm in streets:
        point, reason = numbering.street_start(csbm)
        extra.append(_feature(point, {"kind": "baslangic", "ad": csbm.tam_ad, "neden": reason}))
    doors = (Adres.objects.filter(csbm__in=streets).exclude(kapi_no="").exclude(yapi_id__in=exclude_yapi)
             .select_related("csbm")[:NEIGHBOURS])
    extra += [_feature(a.geom, {"kind": "komsu", "no": a.kapi_no, "taraf": a.taraf, "csbm": a.csbm.tam_ad})
              for a in doors]
    return extra


def _plan_json(plan: NumberingPlan, status: int = 200) -> JsonResponse:
    return JsonResponse({"id": plan.pk, "tur": plan.tur, "durum": plan.durum, "ozet": plan.ozet,
                         "url": f"/numarataj/planlar/{plan.pk}/"}, status=status, json_dumps_params=_JSON)


def _comment(request: HttpRequest) -> str:
    if request.content_type == "application/json" and request.body:
        return str(json_object(request).get("aciklama", ""))[:300]
    return request.POST.get("aciklama", "")[:300]


@require_POST
@json_errors
def number_street(request: HttpRequest, pk: int) -> JsonResponse:
    return _plan_json(numbering.plan_street(Csbm.objects.get(pk=pk), user=request.user), 201)


@require_POST
@json_errors
def number_building(request: HttpRequest, pk: int) -> JsonResponse:
    return _plan_json(numbering.plan_infill(Yapi.objects.get(pk=pk), user=request.user), 201)


@require_POST
@json_errors
def number_ilce(request: HttpRequest, pk: int) -> JsonResponse:
    return _plan_json(numbering.plan_district(Ilce.objects.get(pk=pk), user=request.user), 201)


@require_POST
@json_errors
def approve(request: HttpRequest, pk: int) -> JsonResponse:
    plan = NumberingPlan.objects.get(pk=pk)
    return _plan_json(plans.approve(plan, user=request.user, comment=_comment(request)))


@require_POST
@json_errors
def reject(request: HttpRequest, pk: int) -> JsonResponse:
    plan = NumberingPlan.objects.get(pk=pk)
    return _plan_json(plans.reject(plan, user=request.user, comment=_comment(request)))


@require_POST
@json_errors
def revert(request: HttpRequest, pk: int) -> JsonResponse:
    plan = NumberingPlan.objects.get(pk=pk)
    return _plan_json(plans.revert(plan, user=request.user, comment=_comment(request)))


# ---- signs -----------------------------------------------------------------------------------

@require_GET
@json_errors
def signs(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The sign list of an approved plan as CSV or PDF (?hepsi=1: a plate for every door)."""
    require_register_editor(request.user)
    plan = NumberingPlan.objects.select_related("ilce").get(pk=pk)
    rows = levha.sign_list(plan, all_doors=request.GET.get("hepsi") == "1")
    if fmt == "csv":
        body, ctype = levha.as_csv(rows), "text/csv; charset=utf-8"
    else:
        body, ctype = levha.as_pdf(rows, plan), "application/pdf"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="levha-plan-{plan.pk}.{fmt}"'
    return response
