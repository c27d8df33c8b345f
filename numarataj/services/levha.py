"""Sign lists (levha) for the workshop, from an approved numbering plan, as CSV and PDF.

- Street-name plates: on each side of a street, at its first and at its last numbered door (one
  plate when they are the same door), showing the street, the mahalle and the side's number range;
  and at each junction with a cadde or bulvar (other than itself), where someone turning in needs
  to read the name. A meydan has one "side": its first and last door.
- Door plates: one per door whose number the plan changes or creates (unchanged doors keep the
  plate they have); `all_doors=True` lists every door of the plan. Plots get no plate."""

import csv
import io
from dataclasses import asdict, dataclass

import shapely
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from geo.errors import Conflict
from numarataj.models import Csbm, NumberingPlan, PlanItem

from . import pdf
from .geometry import many_to_local, to_storage

JUNCTION_DEGREES = 0.0001  # ~10 m: a sokak ending at a cadde's kerb still meets it
MAIN_KINDS = ("cadde", "bulvar")
TARAF = {"sol": "sol (tek)", "sag": "sağ (çift)", "": "meydan"}


@dataclass
class Levha:
    tur: str  # "sokak" (street-name plate) or "kapi" (door plate)
    csbm: str
    mahalle: str
    metin: str
    kapi_no: str
    taraf: str
    neden: str
    boylam: float
    enlem: float


def sign_list(plan: NumberingPlan, *, all_doors: bool = False) -> list[Levha]:
    if plan.durum != NumberingPlan.Durum.ONAYLANDI:
        raise Conflict("Levha listesi yalnızca onaylanmış plandan çıkarılır. "
                       "(Signs come from an approved plan only.)", durum=plan.durum)
    items = list(plan.kalemler.exclude(onerilen_no="").select_related("csbm", "yapi__mahalle")
                 .prefetch_related("csbm__mahalleler").order_by("csbm_id", "sira"))
    by_street: dict[int, list[PlanItem]] = {}
    for item in items:
        by_street.setdefault(item.csbm_id, []).append(item)
    signs: list[Levha] = []
    for street_items in by_street.values():
        signs += _street_plates(street_items)
    signs += _junction_plates([its[0].csbm for its in by_street.values()])
    signs += [_sign("kapi", i, f"No: {i.onerilen_no}", "") for i in items
              if not i.arsa_id and (all_doors or i.degisiyor)]
    return signs


def _mahalle(item: PlanItem) -> str:
    if item.yapi_id and item.yapi.mahalle_id:
        return item.yapi.mahalle.ad
    names = [m.ad for m in item.csbm.mahalleler.all()]
    return names[0] if names else ""


def _sign(tur: str, item: PlanItem, text: str, reason: str) -> Levha:
    return Levha(tur, item.csbm.tam_ad, _mahalle(item), text, item.onerilen_no if tur == "kapi" else "",
                 TARAF.get(item.taraf, item.taraf), reason, round(item.geom.x, 7), round(item.geom.y, 7))


def _street_plates(items: list[PlanItem]) -> list[Levha]:
    plates = []
    for taraf in ("sol", "sag", ""):
        side = [i for i in items if i.taraf == taraf and not i.arsa_id]
        if not side:
            continue
        first, last = side[0], side[-1]
        span = f"{first.onerilen_no} → {last.onerilen_no}" if first is not last else first.onerilen_no
        text = f"{first.csbm.tam_ad} ({span})"
        plates.append(_sign("sokak", first, text, f"{TARAF[taraf]}: ilk kapı"))
        if last is not first:
            plates.append(_sign("sokak", last, text, f"{TARAF[taraf]}: son kapı"))
    return plates


def _junction_plates(streets: list[Csbm]) -> list[Levha]:
    plates = []
    for street in streets:
        mains = list(Csbm.objects.filter(ilce_id=street.ilce_id, tur__in=MAIN_KINDS)
                     .exclude(pk=street.pk).filter(geom__dwithin=(street.geom, JUNCTION_DEGREES)))
        if not mains:
            continue
        own, *others = many_to_local([street.geom, *[m.geom for m in mains]])
        mahalleler = ", ".join(m.ad for m in street.mahalleler.all())
        for main, geom in zip(mains, others, strict=True):
            meet = shapely.shortest_line(own, geom).coords[0]
            p = to_storage(shapely.Point(meet))
            plates.append(Levha("sokak", street.tam_ad, mahalleler, street.tam_ad, "", "",
                                f"{main.tam_ad} kavşağı", round(p.x, 7), round(p.y, 7)))
    return plates


HEADERS = ["tur", "csbm", "mahalle", "metin", "kapi_no", "taraf", "neden", "boylam", "enlem"]


def as_csv(signs: list[Levha]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read the Turkish letters right."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(asdict(s) for s in signs)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_pdf(signs: list[Levha], plan: NumberingPlan) -> bytes:
    """The production list: street-name plates, then door plates, as tables."""
    title = f"Levha üretim listesi — numaralama planı #{plan.pk}"
    if plan.karar_tarihi:
        title += f" ({plan.karar_tarihi:%d.%m.%Y})"
    return production_pdf(signs, title=title, ilce_ad=plan.ilce.ad, doc_title=f"Levha listesi #{plan.pk}")


def production_pdf(signs: list[Levha], *, title: str, ilce_ad: str, doc_title: str) -> bytes:
    """The workshop's list for any source of signs (a numbering plan, a street's rename)."""
    story = [*pdf.municipality_header(ilce_ad), Spacer(1, 4 * mm), pdf.para(title, "title"), Spacer(1, 4 * mm)]
    for tur, title, cols in (("sokak", "Sokak adı levhaları", ["csbm", "mahalle", "metin", "neden"]),
                             ("kapi", "Kapı numarası levhaları", ["csbm", "mahalle", "kapi_no", "taraf"])):
        rows = [s for s in signs if s.tur == tur]
        story += [pdf.para(f"{title}: {len(rows)} adet", "value"), Spacer(1, 2 * mm)]
        if rows:
            data = [[pdf.para(c, "label") for c in cols]]
            data += [[pdf.para(str(getattr(s, c)), "body") for c in cols] for s in rows]
            table = Table(data, repeatRows=1, colWidths=[75 * mm, 45 * mm, 75 * mm, 60 * mm][:len(cols)])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
        story.append(Spacer(1, 6 * mm))
    return pdf.build(story, title=doc_title, pagesize=landscape(A4), margin=15 * mm)
