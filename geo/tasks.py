"""geo's job kinds: layer import and export, and the nightly backup with its rotation."""

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings

from geo import jobs
from geo.models import Job, Layer
from geo.services import backup as backups
from geo.services import crs as kcrs
from geo.services import exporter
from geo.services.importer import import_file


@jobs.register("layer_import", title="Katmana içe aktarma: {layer} (Layer import)")
def layer_import(job: Job, *, layer: str, path: str, crs: str | None = None, source_layer: str | None = None,
                 skip_invalid: bool = False, staged: str | None = None) -> dict[str, Any]:
    """The whole import is the job's one transaction: refused rows, a cancel or a crash write nothing."""
    target = Layer.objects.get(slug=layer)
    jobs.log(job, f"Dosya okunuyor: {Path(path).name} (Reading the file.)")
    report = import_file(path, target, user=job.user, crs=crs, source_layer=source_layer,
                         skip_invalid=skip_invalid, progress=jobs.progress_callback(job))
    jobs.log(job, f"{report.imported} kayıt yazıldı, {len(report.refused)} satır reddedildi. "
                  f"({report.imported} rows imported, {len(report.refused)} refused.)")
    return report.as_dict()


@jobs.register("layer_export", title="Katman dışa aktarma: {layer} ({format}) (Layer export)")
def layer_export(job: Job, *, layer: str, format: str = "gpkg", crs: str = "EPSG:4326") -> dict[str, Any]:
    source = Layer.objects.get(slug=layer)
    srid = kcrs.srid_of(kcrs.parse_crs(crs))
    path = exporter.export_layer(source, format, srid, user=job.user)
    try:
        name = f"{source.slug}_epsg{srid}{exporter.FORMATS[exporter.check_format(format)][0]}"
        jobs.attach_file(job, path.rename(path.with_name(name)))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    jobs.log(job, f"Dosya hazır: {name} (File ready.)")
    return {"layer": source.slug, "format": format, "srid": srid, "file": name}


@jobs.register("backup", title="Yedekleme (Backup)", atomic=False)
def backup(job: Job, *, output_dir: str | None = None, keep: int | None = None) -> dict[str, Any]:
    """pg_dump in its own snapshot, then the rotation keeps the newest `keep` archives."""
    folder = Path(output_dir) if output_dir else Path(settings.KENT_BACKUP_DIR)
    result = backups.backup(folder, log=lambda line: jobs.log(job, line))
    removed = backups.rotate(folder, settings.KENT_BACKUP_KEEP if keep is None else keep)
    for path in removed:
        jobs.log(job, f"Eski yedek silindi: {path.name} (Old backup removed.)")
    counts = result.manifest["row_counts"]
    return {"archive": str(result.path), "tables": len(counts), "rows": sum(counts.values()),
            "media_files": result.manifest["media"]["files"], "removed": [p.name for p in removed]}
