"""numarataj's job kinds: numbering a whole ilçe, the daily street-naming decisions, and the
register's import and export (numarataj/register_io)."""

import shutil
import tempfile
from pathlib import Path
from typing import Any

from geo import jobs
from geo.errors import KentError
from geo.models import Job
from numarataj.models import Ilce
from numarataj.register_io import profiles
from numarataj.register_io.commit import import_register
from numarataj.register_io.export import export_register
from numarataj.services import naming, numbering, plans


@jobs.register("number_district", title="İlçe numaralama: {ilce} (Number a district)")
def number_district(job: Job, *, ilce: int, apply: bool = False) -> dict[str, Any]:
    """The plan (and, with apply, its approval) in the job's one transaction, as the command does."""
    target = Ilce.objects.get(pk=ilce)
    jobs.progress(job, 0, 2 if apply else 1)
    plan = numbering.plan_district(target, user=job.user, check_rights=job.user is not None)
    o = plan.ozet
    jobs.log(job, f"{target}: plan #{plan.pk} — {o['sokak']} sokak, {o['kapi']} kapı, {o['degisen']} değişiklik "
                  f"({o['yeni']} yeni kapı). (Plan made.)")
    jobs.progress(job, 1, 2 if apply else 1)
    if apply:
        jobs.raise_if_cancelled(job)
        plans.approve(plan, user=job.user, comment=f"iş #{job.pk} (job)", check_rights=job.user is not None)
        jobs.log(job, f"Plan #{plan.pk} onaylandı. (Plan approved.)")
        jobs.progress(job, 2, 2)
    return {"ilce": str(target), "plan": plan.pk, "applied": apply, "ozet": {k: o[k] for k in
                                                                              ("sokak", "kapi", "degisen", "yeni")}}


@jobs.register("apply_naming_decisions", title="Adlandırma kararlarının uygulanması (Apply naming decisions)",
               atomic=False)
def apply_naming_decisions(job: Job) -> dict[str, Any]:
    """Each due decision in its own transaction: one that cannot take effect does not stop the rest."""
    due = list(naming.due().order_by("yururluk_tarihi", "id"))
    applied = failed = 0
    for i, karar in enumerate(due, 1):
        try:
            naming.take_effect(karar)
        except KentError as e:
            failed += 1
            jobs.log(job, f"Karar #{karar.pk}: {e.message}")
        else:
            applied += 1
            jobs.log(job, f"Karar #{karar.pk}: {karar.eski_tam_ad or '—'} → {karar.yeni_tam_ad}")
        jobs.progress(job, i, len(due))
    return {"applied": applied, "failed": failed}


@jobs.register("register_import", title="Adres kaydı aktarımı: {name} (Register import)")
def register_import(job: Job, *, path: str, profile: dict, name: str = "", ilce: int | None = None,
                    dry: bool = False, skip_invalid: bool = False, staged: str | None = None) -> dict[str, Any]:
    """The dry run and the writes in the job's one transaction: a refusal, a cancel or a crash write nothing."""
    try:
        jobs.log(job, f"Dosyalar okunuyor: {name or path} (Reading the files.)")
        report = import_register(path, profiles.Profile.from_dict(profile, name), user=job.user,
                                 ilce=Ilce.objects.get(pk=ilce) if ilce else None, dry=dry, skip_invalid=skip_invalid,
                                 progress=jobs.progress_callback(job), cancelled=jobs.cancelled_callback(job))
    finally:
        if staged and not dry:
            shutil.rmtree(staged, ignore_errors=True)
    jobs.log(job, f"{'Deneme' if dry else 'Aktarım'} bitti: {report.changes} değişiklik kaydı, "
                  f"{len(report.refused)} satır reddedildi. (Done.)")
    return report.as_dict()


@jobs.register("register_export", title="Adres kaydı dışa aktarımı ({format}) (Register export)")
def register_export(job: Job, *, format: str = "gpkg", profile: str | None = None, crs: str | None = None,
                    ilce: int | None = None, since: str | None = None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="kent-register-export-"))
    try:
        result = export_register(work / "adres_kaydi", fmt=format, profile=profiles.load(profile) if profile else None,
                                 srid=crs, ilce=Ilce.objects.get(pk=ilce) if ilce else None, since=since or None,
                                 user=job.user, progress=jobs.progress_callback(job),
                                 cancelled=jobs.cancelled_callback(job))
        jobs.attach_file(job, result.path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    jobs.log(job, f"Dosya hazır: {result.path.name} (File ready.)")
    return result.manifest
