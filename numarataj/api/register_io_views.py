"""The register import page: upload a layer set, see its layers with their first rows, edit the
suggested (or a saved) mapping profile as YAML, dry-run it, and submit the import as a
background job (geo.jobs; its page shows progress, log, report and a cancel button). The export
form submits an export job whose page offers the file.

The dry run runs in the request only for uploads up to SYNC_DRY_RUN_BYTES (a district's register
is read and checked in seconds); a larger set's dry run is a job as well."""

import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from geo import jobs
from geo.errors import InvalidInput, KentError
from geo.services.readers import refuse_if_too_large
from numarataj.models import Ilce, RegisterProfile
from numarataj.register_io import profiles
from numarataj.register_io.export import FORMATS
from numarataj.register_io.sources import open_layer_set
from numarataj.register_io.validate import dry_run

from .register_views import officer_page

SYNC_DRY_RUN_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 5
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _staging() -> Path:
    return Path(settings.MEDIA_ROOT) / "isler" / "yuklemeler"


def _stage(request: HttpRequest) -> tuple[str, Path]:
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("Bir dosya seçin (GeoPackage, Shapefile/CSV zip, CSV). (Choose a file.)")
    refuse_if_too_large(upload.size)
    token = uuid.uuid4().hex
    folder = _staging() / token
    folder.mkdir(parents=True)
    name = Path(upload.name or "kayit").name
    target = folder / (re.sub(r"[^\w.-]+", "_", Path(name).stem)[:80] + Path(name).suffix.lower())
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, target


def _staged(token: str) -> Path:
    if not _TOKEN.match(token or ""):
        raise InvalidInput("Yüklenen dosya bulunamadı; yeniden yükleyin. (Upload again.)")
    files = [p for p in (_staging() / token).glob("*") if p.is_file()]
    if not files:
        raise InvalidInput("Yüklenen dosya bulunamadı; yeniden yükleyin. (Upload again.)")
    return files[0]


def _profile_from(text: str) -> profiles.Profile:
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError as e:
        raise InvalidInput(f"Profil YAML olarak okunamadı: {e}. (The profile is not valid YAML.)") from None
    return profiles.Profile.from_dict(data)


def _ilce(request: HttpRequest) -> Ilce | None:
    raw = request.POST.get("ilce") or ""
    return Ilce.objects.filter(pk=int(raw)).first() if raw.isdigit() else None


def _mapping_context(path: Path, profile: profiles.Profile) -> dict[str, Any]:
    with open_layer_set(path) as layers:
        previews = [{"name": name, "columns": fl.columns, "count": fl.count,
                     "rows": [[row.get(c, "") for c in fl.columns] for row in layers.preview(name, PREVIEW_ROWS)]}
                    for name, fl in layers.layers.items()]
        failed = layers.failed
    return {"previews": previews, "failed": failed, "yaml": profile.to_yaml(), "file_name": path.name}


@officer_page
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"saved": RegisterProfile.objects.all(), "ilceler": Ilce.objects.order_by("ad"),
                               "formats": sorted(FORMATS)}
    if request.method == "GET":
        return render(request, "numarataj/register/register_io.html", context)
    action = request.POST.get("action", "")
    try:
        if action == "export":
            job = jobs.submit("register_export", request.user, format=request.POST.get("format") or "gpkg",
                              profile=request.POST.get("profile") or None, crs=request.POST.get("crs") or None,
                              ilce=int(request.POST["ilce"]) if request.POST.get("ilce", "").isdigit() else None,
                              since=request.POST.get("since") or None)
            return redirect(reverse("geo-job", args=[job.pk]))
        if action == "upload":
            token, path = _stage(request)
            saved = request.POST.get("profile")
            if saved:
                profile = profiles.load(saved)
            else:
                with open_layer_set(path) as layers:
                    profile = profiles.suggest(layers.columns())
        else:
            token = request.POST.get("token", "")
            path = _staged(token)
            profile = _profile_from(request.POST.get("yaml", ""))
        context.update(_mapping_context(path, profile), token=token, ilce=_ilce(request))
        if action == "save":
            name = (request.POST.get("name") or "").strip()
            if not name:
                raise InvalidInput("Profile bir ad verin. (Name the profile.)")
            profiles.save(profile, name)
            context["message"] = f"'{name}' profili kaydedildi. (Profile saved.)"
        elif action in {"import", "dryrun"}:
            dry = action == "dryrun"
            if dry and path.stat().st_size <= SYNC_DRY_RUN_BYTES:
                context["report"] = dry_run(path, profile, ilce=context["ilce"]).report.as_dict()
            else:
                job = jobs.submit("register_import", request.user, path=str(path), profile=profile.as_dict(),
                                  name=path.name, ilce=context["ilce"].pk if context["ilce"] else None, dry=dry,
                                  skip_invalid=bool(request.POST.get("skip_invalid")),
                                  staged=None if dry else str(path.parent))
                return redirect(reverse("geo-job", args=[job.pk]))
    except KentError as e:
        context["error"] = e.message
        if action == "upload" and "token" in locals():
            shutil.rmtree(_staging() / token, ignore_errors=True)
            context.pop("token", None)
    return render(request, "numarataj/register/register_io.html", context)
