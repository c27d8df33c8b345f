"""The dry run: read every mapped layer, refuse the rows that cannot go in (unreadable, missing
link, duplicate code, outside the ilçe, wrong CRS) with the row named, check the MAKS rules, and
say for each accepted row whether it would be created, updated or left alone. Nothing is written;
commit.py writes a Plan this returns."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidInput
from numarataj.models import Ilce, Mahalle

from . import diff
from .maks import violations
from .profiles import Profile, fold
from .rows import LayerRead, Record, RowNote, read_layer
from .schema import LAYERS
from .sources import open_layer_set

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
ILCE_MARGIN_DEG = 0.0005  # about 50 m: boundaries and doors are digitised separately


class ImportCancelled(InvalidInput):
    code = "Cancelled"


@dataclass
class LayerReport:
    source: str = ""
    crs: str = ""
    rows: int = 0
    create: int = 0
    update: int = 0
    unchanged: int = 0
    refused: list[RowNote] = field(default_factory=list)


@dataclass
class Report:
    path: str
    profile: str
    ilce: str = ""
    layers: dict[str, LayerReport] = field(default_factory=dict)
    violations: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    committed: bool = False
    changes: int = 0  # history rows written

    @property
    def refused(self) -> list[RowNote]:
        return [n for lr in self.layers.values() for n in lr.refused]

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "profile": self.profile, "ilce": self.ilce, "committed": self.committed,
                "changes": self.changes, "warnings": self.warnings, "violations": self.violations,
                "layers": {k: {**{f: getattr(v, f) for f in ("source", "crs", "rows", "create", "update", "unchanged")},
                               "refused": [n.as_dict() for n in v.refused]} for k, v in self.layers.items()}}


@dataclass
class Plan:
    report: Report
    items: dict[str, list[diff.Item]] = field(default_factory=dict)
    ilce: Ilce | None = None
    new_ilce: dict[str, Any] = field(default_factory=dict)  # il_adi, il_kodu, ilce_adi of an ilçe to create
    link_codes: dict[str, dict[int, str]] = field(default_factory=dict)  # DB pk -> code, per layer


def dry_run(path: str | Path, profile: Profile, *, ilce: Ilce | None = None, progress: Progress | None = None,
            cancelled: Cancelled | None = None) -> Plan:
    report = Report(str(path), profile.name)
    reads: dict[str, LayerRead] = {}
    mapped = [lyr for lyr in LAYERS if lyr.name in profile.layers]
    if not mapped:
        raise InvalidInput("Profil hiçbir kayıt katmanını eşlemiyor. (The profile maps no register layer.)")
    with open_layer_set(path) as layers:
        report.warnings += layers.warnings
        for k, reg in enumerate(mapped):
            _stop_if(cancelled)
            reads[reg.name] = read_layer(layers, reg, profile.layers[reg.name], profile)
            if progress:
                progress(k + 1, len(mapped) * 2)
    plan = Plan(report)
    plan.ilce = ilce or _ilce_of(reads.get("mahalle"), plan)
    report.ilce = (str(plan.ilce) if plan.ilce
                   else f"{plan.new_ilce['ilce_adi']}/{plan.new_ilce['il_adi']} (yeni / new)")
    area = _area(plan.ilce, reads.get("mahalle"))
    accepted: dict[str, dict[str, Record]] = {}
    for k, reg in enumerate(mapped):
        _stop_if(cancelled)
        read = reads[reg.name]
        lr = report.layers[reg.name] = LayerReport(read.source, read.crs, read.rows, refused=list(read.refused))
        good = _unique(read.records, lr.refused)
        good = _inside(good, area, lr.refused)
        good = _linked(reg.name, good, accepted, plan, profile, lr.refused)
        accepted[reg.name] = {r.code: r for r in good}
        plan.items[reg.name] = _diff(reg.name, good, plan, profile)
        counts = Counter(i.status for i in plan.items[reg.name])
        lr.create, lr.update, lr.unchanged = counts["create"], counts["update"], counts["unchanged"]
        lr.refused.sort(key=lambda n: n.row)
        if progress:
            progress(len(mapped) + k + 1, len(mapped) * 2)
    report.violations = violations(accepted)
    return plan


def _stop_if(cancelled: Cancelled | None) -> None:
    if cancelled and cancelled():
        raise ImportCancelled("Aktarım iptal edildi; hiçbir kayıt yazılmadı. (Cancelled; nothing was written.)")


def _ilce_of(mahalle: LayerRead | None, plan: Plan) -> Ilce | None:
    """The ilçe the mahalle rows name (ILCE_ADI / IL_ADI), or the only one in the register."""
    names = {(r.values.get("ilce_adi", ""), r.values.get("il_adi", ""), r.values.get("il_kodu"))
             for r in (mahalle.records if mahalle else []) if r.values.get("ilce_adi")}
    if len(names) > 1:
        raise InvalidInput("Bir aktarım tek ilçe içindir; dosyada birden çok ilçe var. (One ilçe per import.)",
                           ilceler=sorted(str(n) for n in names))
    if names:
        ilce_ad, il_ad, plaka = names.pop()
        found = [i for i in Ilce.objects.select_related("il") if fold(i.ad) == fold(ilce_ad)
                 and (not il_ad or fold(i.il.ad) == fold(il_ad))]
        if found:
            return found[0]
        if not il_ad or not plaka:
            raise InvalidInput(f"'{ilce_ad}' ilçesi kayıtta yok; oluşturmak için il adı ve il kodu (plaka) "
                               "alanları eşlenmeli. (Unknown ilçe: map il name and code to create it.)")
        plan.new_ilce = {"il_adi": il_ad, "il_kodu": plaka, "ilce_adi": ilce_ad}
        return None
    only = list(Ilce.objects.all()[:2])
    if len(only) == 1:
        return only[0]
    raise InvalidInput("Hangi ilçeye aktarılacağı belli değil: ilçeyi seçin ya da mahalle katmanında ILCE_ADI "
                       "eşleyin. (Choose the ilçe.)")


def _area(ilce: Ilce | None, mahalle: LayerRead | None) -> BaseGeometry | None:
    parts = [r.geom for r in (mahalle.records if mahalle else []) if r.geom is not None]
    if ilce is not None and ilce.geom is not None:
        parts = [shapely.from_wkb(bytes(ilce.geom.wkb))]
    elif ilce is not None:
        parts += [shapely.from_wkb(bytes(m.geom.wkb)) for m in Mahalle.objects.filter(ilce=ilce)]
    if not parts:
        return None
    area = shapely.union_all(parts).buffer(ILCE_MARGIN_DEG)
    shapely.prepare(area)
    return area


def _unique(records: list[Record], refused: list[RowNote]) -> list[Record]:
    rows: dict[str, list[int]] = {}
    for r in records:
        rows.setdefault(r.code, []).append(r.row)
    out = []
    for r in records:
        if len(rows[r.code]) > 1:
            others = ", ".join(str(n) for n in rows[r.code] if n != r.row)
            refused.append(r.note(f"Kod {r.code} dosyada birden çok satırda (satır {others}). (Duplicate code.)"))
        else:
            out.append(r)
    return out


def _inside(records: list[Record], area: BaseGeometry | None, refused: list[RowNote]) -> list[Record]:
    if area is None:
        return records
    out = []
    for r in records:
        # a door must lie inside; a street or building only reach in (ring roads run on the boundary)
        outside = r.geom is not None and not (area.contains(r.geom) if r.geom.geom_type == "Point"
                                              else area.intersects(r.geom))
        if outside:
            refused.append(r.note("Geometri ilçe sınırının dışında. (Geometry outside the ilçe.)"))
        else:
            out.append(r)
    return out


def _linked(layer: str, records: list[Record], accepted: dict[str, dict[str, Record]], plan: Plan,
            profile: Profile, refused: list[RowNote]) -> list[Record]:
    """Refuse rows naming a code found neither among the file's accepted rows nor in the register."""
    links = [(fk, name, target) for fk, (name, target) in diff.LINKS.get(layer, {}).items()
             if name in profile.layers[layer].fields]
    wanted: dict[str, set[str]] = {}
    for _fk, name, target in links:
        for r in records:
            codes = r.values.get(name) or []
            wanted.setdefault(target, set()).update(codes if isinstance(codes, list) else [codes])
    known = {t: set(accepted.get(t, {})) | set(diff.existing(t, sorted(c - set(accepted.get(t, {}))), plan.ilce))
             for t, c in wanted.items()}
    out = []
    for r in records:
        missing = [f"{profile.layers[layer].fields[name]}={code}" for _fk, name, target in links
                   for code in (r.values.get(name) if isinstance(r.values.get(name), list) else [r.values.get(name)])
                   if code and code not in known[target]]
        if missing:
            refused.append(r.note(f"Bağlantı eksik: {', '.join(missing)} ne dosyada ne kayıtta var. "
                                  "(Missing link: the code is neither in the file nor in the register.)"))
        else:
            out.append(r)
    return out


def _diff(layer: str, records: list[Record], plan: Plan, profile: Profile) -> list[diff.Item]:
    lmap = profile.layers[layer]
    found = diff.existing(layer, [r.code for r in records], plan.ilce)
    by_name = diff.uncoded_mahalleler(plan.ilce) if layer == "mahalle" else {}
    items = []
    for r in records:
        attrs, links = diff.target(layer, r, lmap)
        obj = found.get(r.code) or by_name.pop(fold(r.values.get("ad", "")), None)
        items.append(diff.Item(r, obj, attrs, links))
    targets = {t for _n, t in diff.LINKS.get(layer, {}).values()}
    for t in targets:
        pks = {getattr(i.obj, f"{fk}_id") for i in items if i.obj is not None
               for fk, (_n, tl) in diff.LINKS[layer].items() if tl == t and fk != "mahalleler"}
        if t == "mahalle" and plan.ilce is not None:
            pks |= set(Mahalle.objects.filter(ilce=plan.ilce).values_list("pk", flat=True))
        plan.link_codes.setdefault(t, {}).update(diff.codes_of(t, pks))
    for i in items:
        if i.obj is not None:
            diff.compare(i, layer, plan.link_codes)
    return items
