"""A layer's file import page and export download.

The import runs inside the request (one transaction; the file is capped by
settings.KENT_IMPORT_MAX_BYTES). That suits a municipality's files today; a background worker
(a task queue with the report stored for the page to poll) would take bigger imports past one
machine and one request timeout. Clients asking `Accept: application/json` get the report or the
error as JSON instead of the page."""

import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from geo.errors import InvalidInput, KentError
from geo.models import Layer, Right
from geo.services import crs as kcrs
from geo.services import exporter, permissions
from geo.services.importer import ImportRefused, ImportReport, import_file
from geo.services.readers import FORMATS as IMPORT_FORMATS
from geo.services.readers import MIB, refuse_if_too_large

from .responses import json_errors

MULTIPART_OVERHEAD = 1024 * 1024  # form fields and boundaries around the file


def _run_import(request: HttpRequest, layer: Layer) -> ImportReport:
    """Check the right and the size before reading the upload, then import it from a temp dir."""
    permissions.require(request.user, layer, Right.EDIT_DATA)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.KENT_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD:
        refuse_if_too_large(length)
    upload: UploadedFile | None = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("Bir dosya seçin. (Choose a file.)")
    refuse_if_too_large(upload.size)
    workdir = Path(tempfile.mkdtemp(prefix="kent-import-"))
    try:
        name = Path(upload.name or "upload").name
        stem = re.sub(r"[^\w-]+", "_", Path(name).stem)[:80] or "upload"
        target = workdir / f"{stem}{Path(name).suffix.lower()}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return import_file(target, layer, user=request.user, crs=request.POST.get("crs") or None,
                           source_layer=request.POST.get("source_layer") or None,
                           skip_invalid=bool(request.POST.get("skip_invalid")))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@json_errors
def _import_json(request: HttpRequest, layer: Layer) -> HttpResponse:
    return JsonResponse(_run_import(request, layer).as_dict())


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, slug: str) -> HttpResponse:
    layer = get_object_or_404(Layer, slug=slug)
    if request.method == "POST" and "application/json" in request.headers.get("Accept", ""):
        return _import_json(request, layer)
    context: dict = {"layer": layer, "crs_choices": kcrs.SUPPORTED, "formats": sorted(set(IMPORT_FORMATS.values())),
                     "export_formats": exporter.FORMATS, "max_mb": settings.KENT_IMPORT_MAX_BYTES / MIB,
                     "accept": ",".join(IMPORT_FORMATS)}
    status = 200
    try:
        if request.method == "POST":
            context["report"] = _run_import(request, layer)
        else:
            permissions.require(request.user, layer, Right.EDIT_DATA)
    except ImportRefused as e:
        context.update(report=e.report, error=e)
        status = e.status
    except KentError as e:
        context["error"] = e
        status = e.status
    return render(request, "geo/import.html", context, status=status)


@require_GET
@json_errors
def export_download(request: HttpRequest, slug: str) -> HttpResponse:
    """?format=gpkg|geojson|shp|csv&crs=EPSG:xxxx; anonymous users may download public layers."""
    layer = Layer.objects.get(slug=slug)
    srid = kcrs.srid_of(kcrs.parse_crs(request.GET.get("crs") or f"EPSG:{kcrs.STORAGE_SRID}"))
    fmt = exporter.check_format(request.GET.get("format") or "gpkg")
    path = exporter.export_layer(layer, fmt, srid, user=request.user)
    handle = path.open("rb")
    shutil.rmtree(path.parent, ignore_errors=True)  # the open file lives on until the response closes it
    suffix, content_type = exporter.FORMATS[fmt]
    return FileResponse(handle, as_attachment=True, filename=f"{layer.slug}_epsg{srid}{suffix}",
                        content_type=content_type)
