"""tiles' job kinds: a thematic map made as a layer, with its PNG and PDF to download."""

import zipfile
from pathlib import Path
from typing import Any

from geo import jobs
from geo.models import Job
from tiles.thematic import make_thematic
from tiles.thematic_print import export


@jobs.register("thematic_map", title="Tematik harita: {metric} (Thematic map)")
def thematic_map(job: Job, *, metric: str, by: str = "mahalle", method: str = "quantile", title: str = "",
                 ramp: str = "kirmizi", cell: float = 250.0, slug: str = "", public: bool = False) -> dict[str, Any]:
    """The layer is rewritten in the job's transaction; the PNG and PDF come zipped for download."""
    jobs.progress(job, 0, 2)
    tm = make_thematic(metric, by=by, method=method, title=title, ramp=ramp, cell_m=cell, slug=slug, public=public)
    jobs.log(job, f"'{tm.layer.slug}' katmanı: {len(tm.units)} birim, {len(tm.classes)} sınıf. (Layer written.)")
    jobs.progress(job, 1, 2)
    folder = jobs.files_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    png, pdf = folder / f"{tm.layer.slug}.png", folder / f"{tm.layer.slug}.pdf"
    export(tm, png, pdf)
    archive = folder / f"{tm.layer.slug}.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (png, pdf):
            z.write(path, arcname=path.name)
            Path(path).unlink()
    jobs.attach_file(job, archive)
    jobs.progress(job, 2, 2)
    return {"layer": tm.layer.slug, "units": len(tm.units), "classes": tm.classes}
