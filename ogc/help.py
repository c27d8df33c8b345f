"""The help page for desktop GIS users: which address to paste where, and how to bring a token."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def qgis_help(request: HttpRequest) -> HttpResponse:
    site = f"{request.scheme}://{request.get_host()}"
    return render(request, "ogc/help_qgis.html", {"site": site})
