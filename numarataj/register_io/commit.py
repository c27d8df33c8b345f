"""Writing an import: the dry run first, then (unless asked for the dry run only) every create
and update in one transaction, layer by layer, through the register's Recorder so each row gets
its history row like any edit (and a door's new number its KapiNoGecmisi period). All or
nothing: a refused row stops the import before anything is written unless skip_invalid, and a
cancellation or a database error rolls everything back."""

from pathlib import Path

import shapely
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import IntegrityError, transaction
from shapely import STRtree, to_wkb

from geo.errors import InvalidInput
from geo.services import history
from numarataj.models import Il, Ilce, KapiNoGecmisi, Mahalle, Yapi
from numarataj.services.register import Recorder

from . import diff
from .profiles import Profile
from .rows import RowNote
from .validate import Cancelled, ImportCancelled, Plan, Progress, Report, _stop_if, dry_run


class RegisterImportRefused(InvalidInput):
    """Rows were refused and nothing was written; carries the dry-run report."""

    def __init__(self, report: Report) -> None:
        refused = report.refused
        named = "; ".join(f"{n.layer} satır {n.row}{f' ({n.code})' if n.code else ''}: {n.reason}"
                          for n in refused[:5])
        super().__init__(f"{len(refused)} satır reddedildi, hiçbir kayıt yazılmadı: {named}. "
                         f"({len(refused)} rows refused, nothing was written.)",
                         refused=[n.as_dict() for n in refused[:100]], refused_count=len(refused))
        self.report = report


def import_register(path: str | Path, profile: Profile, *, user, ilce: Ilce | None = None, dry: bool = False,
                    skip_invalid: bool = False, progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> Report:
    """Dry-run `path` through `profile` and, unless `dry`, write it. `user=None`: an operator at the
    command line."""
    plan = dry_run(path, profile, ilce=ilce, progress=progress, cancelled=cancelled)
    if dry:
        return plan.report
    if plan.report.refused and not skip_invalid:
        raise RegisterImportRefused(plan.report)
    try:
        with transaction.atomic():
            _write(plan, user, f"kayıt aktarımı: {Path(path).name}"[:300], progress, cancelled)
    except IntegrityError as e:
        raise InvalidInput("Kayıt yazılamadı, hiçbir değişiklik yapılmadı: veritabanı kısıtı ihlal edildi "
                           "(ör. aynı mahallede iki yapıya aynı tanıtım numarası). (A database constraint "
                           "refused the import; nothing was written.)", reason=str(e)[:300]) from e
    plan.report.committed = True
    return plan.report


def _write(plan: Plan, user, comment: str, progress: Progress | None, cancelled: Cancelled | None) -> None:
    ilce = plan.ilce or _create_ilce(plan)
    recorder = Recorder(user, comment)
    pks: dict[str, dict[str, int]] = {t: {code: pk for pk, code in m.items() if code}
                                      for t, m in plan.link_codes.items()}
    layers = [layer for layer in plan.items if any(i.status != "unchanged" for i in plan.items[layer])]
    for k, layer in enumerate(layers):
        _stop_if(cancelled)
        items = [i for i in plan.items[layer] if i.status != "unchanged"]
        rows, fields = [], set()
        for item in items:
            obj = item.obj if item.obj is not None else diff.MODELS[layer]()
            before = history.snapshot(obj) if item.obj is not None else None
            _apply(obj, item, layer, ilce, pks)
            fields |= {f for f in item.changed if f != "mahalleler"}
            rows.append((obj, before))
        _derive_mahalle(layer, rows, ilce)
        if layer == "adres":
            periods = {p.adres_id: p for p in KapiNoGecmisi.objects.filter(
                adres_id__in=[o.pk for o, b in rows if b is not None], gecerli_bitis=None)}
            recorder.write_adresler(rows, periods, sorted(fields | {"mahalle"}))
        else:
            recorder.write_many(rows, sorted(fields))
        pks.setdefault(layer, {}).update((getattr(o, diff.CODE_FIELD[layer]), o.pk) for o, _b in rows)
        if layer == "csbm":
            _link_mahalleler(items, rows, ilce, pks)
        if progress:
            progress(k + 1, len(layers))
    _stop_if(cancelled)
    plan.report.changes = len(recorder.flush())
    if ilce.geom is None:  # an ilçe made by the import (or one without a boundary): its mahalleler's union
        union = Mahalle.objects.filter(ilce=ilce).aggregate(u=Union("geom"))["u"]
        if union is not None:
            ilce.geom = union if union.geom_type == "MultiPolygon" else MultiPolygon(union, srid=union.srid)
            ilce.save(update_fields=["geom"])


def _create_ilce(plan: Plan) -> Ilce:
    new = plan.new_ilce
    il = Il.objects.filter(plaka=new["il_kodu"]).first() or Il.objects.create(ad=new["il_adi"], plaka=new["il_kodu"])
    return Ilce.objects.create(il=il, ad=new["ilce_adi"])


def _apply(obj, item: diff.Item, layer: str, ilce: Ilce, pks: dict[str, dict[str, int]]) -> None:
    for name, value in item.attrs.items():
        if name == "geom":
            value = GEOSGeometry(memoryview(to_wkb(value)), srid=4326)
        setattr(obj, name, value)
    if layer in {"mahalle", "csbm"}:
        obj.ilce = ilce
    for fk, code in item.links.items():
        if fk != "mahalleler":
            setattr(obj, f"{fk}_id", pks.get(diff.LINKS[layer][fk][1], {}).get(code) if code else None)


def _derive_mahalle(layer: str, rows: list, ilce: Ilce) -> None:
    """A new building or door whose file names no mahalle: its building's, else the one holding it."""
    if layer not in {"yapi", "adres"}:
        return
    new = [o for o, b in rows if b is None and o.mahalle_id is None]
    if not new:
        return
    if layer == "adres":
        of_yapi = dict(Yapi.objects.filter(pk__in={o.yapi_id for o in new if o.yapi_id})
                       .values_list("pk", "mahalle_id"))
        for o in new:
            o.mahalle_id = of_yapi.get(o.yapi_id)
        new = [o for o in new if o.mahalle_id is None]
    mahalleler = list(Mahalle.objects.filter(ilce=ilce))
    if not new or not mahalleler:
        return
    tree = STRtree([shapely.from_wkb(bytes(m.geom.wkb)) for m in mahalleler])
    for o in new:
        point = shapely.from_wkb(bytes(o.geom.point_on_surface.wkb))
        hit = tree.query(point, predicate="within")
        o.mahalle_id = mahalleler[int(hit[0])].pk if len(hit) else None


def _link_mahalleler(items: list[diff.Item], rows: list, ilce: Ilce, pks: dict[str, dict[str, int]]) -> None:
    """A street's mahalleler: the codes the file names, else (new streets) those its axis runs through."""
    for item, (obj, before) in zip(items, rows, strict=True):
        if "mahalleler" in item.links:
            if before is None or "mahalleler" in item.changed:
                obj.mahalleler.set([pks.get("mahalle", {})[c] for c in item.links["mahalleler"] or []
                                       if c in pks.get("mahalle", {})])
        elif before is None:
            obj.mahalleler.set(Mahalle.objects.filter(ilce=ilce, geom__intersects=obj.geom))


__all__ = ["ImportCancelled", "RegisterImportRefused", "RowNote", "import_register"]
