"""A layer's file import page and export download.

The import never runs inside the request: the upload is checked (right, size), staged under
MEDIA_ROOT/isler/yuklemeler/ and handed to a background job (geo.tasks.layer_import), and the
browser is sent to the job's page, which shows its progress, log and report. Clients asking
`Accept: application/json` get 202 and the job's addresses instead. Exports of one layer stay
in the request (a file of what is already stored); `?job=1` makes one a job as well."""

import re
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from geo import jobs
from geo.errors import InvalidInput, KentError
from geo.models import Job, Layer, Right
from geo.services import crs as kcrs
from geo.services import exporter, permissions
from geo.services.readers import FORMATS as IMPORT_FORMATS
from geo.services.readers import MIB, refuse_if_too_large

from .responses import json_errors

MULTIPART_OVERHEAD = 1024 * 1024  # form fields and boundaries around the file


def _submit_import(request: HttpRequest, layer: Layer) -> Job:
    """Check the right and the size before reading the upload, stage it, and submit the job."""
    permissions.require(request.user, layer, Right.EDIT_DATA)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.KENT_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD:
        refuse_if_too_large(length)
    upload: UploadedFile | None = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("Bir dosya seçin. (Choose a file.)")
    refuse_if_too_large(upload.size)
    staged = Path(settings.MEDIA_ROOT) / "isler" / "yuklemeler" / uuid.uuid4().hex
    staged.mkdir(parents=True)
    try:
        name = Path(upload.name or "upload").name
        stem = re.sub(r"[^\w-]+", "_", Path(name).stem)[:80] or "upload"
        target = staged / f"{stem}{Path(name).suffix.lower()}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return jobs.submit("layer_import", request.user, layer=layer.slug, path=str(target), staged=str(staged),
                           crs=request.POST.get("crs") or None,
                           source_layer=request.POST.get("source_layer") or None,
                           skip_invalid=bool(request.POST.get("skip_invalid")))
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def job_links(job: Job) -> dict:
    return {"job": job.pk, "state": job.state, "url": reverse("geo-job", args=[job.pk]),
            "status_url": reverse("geo-job-status", args=[job.pk])}


@json_errors
def _import_json(request: HttpRequest, layer: Layer) -> HttpResponse:
    return JsonResponse(job_links(_submit_import(request, layer)), status=202)


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
            return redirect("geo-job", _submit_import(request, layer).pk)
        permissions.require(request.user, layer, Right.EDIT_DATA)
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
    if request.GET.get("job") and request.user.is_authenticated:
        permissions.require(request.user, layer, Right.VIEW)
        job = jobs.submit("layer_export", request.user, layer=layer.slug, format=fmt, crs=f"EPSG:{srid}")
        return redirect("geo-job", job.pk)
    path = exporter.export_layer(layer, fmt, srid, user=request.user)
    handle = path.open("rb")
    shutil.rmtree(path.parent, ignore_errors=True)  # the open file lives on until the response closes it
    suffix, content_type = exporter.FORMATS[fmt]
    return FileResponse(handle, as_attachment=True, filename=f"{layer.slug}_epsg{srid}{suffix}",
                        content_type=content_type)
