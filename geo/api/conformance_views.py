"""The TUCBS conformance report for municipal staff: an HTML page and the same data as JSON."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from geo.errors import Forbidden, NotAuthenticated
from geo.roles import is_staff_member
from geo.services.conformance import conformance_all, summary

from .responses import json_errors


@require_GET
@login_required
def conformance_page(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise PermissionDenied
    reports = conformance_all(request.GET.get("layer") or None)
    return render(request, "geo/conformance.html", {"reports": reports, "summary": summary(reports)})


@require_GET
@json_errors
def conformance_api(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        raise NotAuthenticated("Bu rapor için giriş yapmalısınız. (Log in to see this report.)")
    if not is_staff_member(request.user):
        raise Forbidden("Bu rapor belediye personeline açıktır. (This report is for municipal staff.)")
    reports = conformance_all(request.GET.get("layer") or None)
    return JsonResponse({"summary": summary(reports), "layers": [r.as_dict() for r in reports]},
                        json_dumps_params={"ensure_ascii": False})
