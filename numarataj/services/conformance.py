"""Loading the register for the MAKS rules (services/rules.py), and the bulk conformance report.

The rules work on plain records in the local metric grid; this module reads them from the
database: a whole ilçe for the report, or one object and the neighbours its rules compare it
with for a save. An unsaved object takes the id NEW_ID."""

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from geo.models import Layer
from numarataj.models import Adres, Csbm, Ilce, Mahalle, Site, Yapi

from .geometry import many_to_local
from .numbering_check import NUMBERING_RULES, check_numbering, street_order_violations
from .rules import RULES, AdresRec, CsbmRec, RegisterData, Violation, YapiRec, check

NEW_ID = -1


def csbm_recs(rows: Iterable[Csbm], mahalle_ids: dict[int, list[int]] | None = None) -> list[CsbmRec]:
    rows = list(rows)
    if mahalle_ids is None:
        mahalle_ids = defaultdict(list)
        through = Csbm.mahalleler.through.objects.filter(csbm_id__in=[c.pk for c in rows if c.pk])
        for cid, mid in through.values_list("csbm_id", "mahalle_id"):
            mahalle_ids[cid].append(mid)
    geoms = many_to_local([c.geom for c in rows])
    return [CsbmRec(c.pk or NEW_ID, c.ilce_id, c.tur, c.ad or "", c.numara, g,
                    list(mahalle_ids.get(c.pk or NEW_ID, []))) for c, g in zip(rows, geoms, strict=True)]


def yapi_recs(rows: Iterable[Yapi]) -> list[YapiRec]:
    rows = list(rows)
    geoms = many_to_local([y.geom for y in rows])
    return [YapiRec(y.pk or NEW_ID, y.mahalle_id, y.tanitim_no, g) for y, g in zip(rows, geoms, strict=True)]


def adres_recs(rows: Iterable[Adres]) -> list[AdresRec]:
    rows = list(rows)
    geoms = many_to_local([a.geom for a in rows])
    return attach_gates([AdresRec(a.pk or NEW_ID, a.csbm_id, a.yapi_id, a.kapi_no, g)
                         for a, g in zip(rows, geoms, strict=True)])


def attach_gates(recs: list[AdresRec]) -> list[AdresRec]:
    """Doors inside a one-gate site are reached through its gate (the street rule measures that)."""
    sites = list(Site.objects.only("geom", "giris"))
    if not sites or not recs:
        return recs
    polys, gates = many_to_local([s.geom for s in sites]), many_to_local([s.giris for s in sites])
    inside, which = STRtree(polys).query(np.array([r.geom for r in recs], dtype=object), predicate="within")
    for i, j in zip(inside, which, strict=True):
        recs[i].giris = gates[j]
    return recs


def _mahalleler(qs: QuerySet[Mahalle]) -> tuple[dict, dict]:
    rows = list(qs.only("id", "ilce_id", "geom"))
    polys = dict(zip([m.pk for m in rows], many_to_local([m.geom for m in rows]), strict=True))
    by_ilce: dict[int, list[int]] = defaultdict(list)
    for m in rows:
        by_ilce[m.ilce_id].append(m.pk)
    return polys, dict(by_ilce)


def yapilar_of(ilce: Ilce) -> QuerySet[Yapi]:
    """The ilçe's buildings: by mahalle, or by location for buildings without one. The mahalle ids
    are listed, not joined, so both halves of the OR use an index (joined, PostgreSQL read every
    building of the city: 1 s at a million)."""
    q = Q(mahalle_id__in=list(ilce.mahalleler.values_list("pk", flat=True)))
    if ilce.geom is not None:
        q |= Q(mahalle__isnull=True, geom__intersects=ilce.geom)
    return Yapi.objects.filter(q)


def district_data(ilce: Ilce) -> RegisterData:
    polys, by_ilce = _mahalleler(Mahalle.objects.filter(ilce=ilce))
    yapilar = yapilar_of(ilce)
    adresler = Adres.objects.filter(Q(csbm__ilce=ilce) | Q(mahalle__ilce=ilce) | Q(yapi__in=yapilar)).distinct()
    return RegisterData(csbm=csbm_recs(Csbm.objects.filter(ilce=ilce)), yapi=yapi_recs(yapilar),
                        adres=adres_recs(adresler), mahalle=polys, ilce_mahalleler=by_ilce)


def csbm_data(csbm: Csbm, mahalle_ids: list[int]) -> RegisterData:
    """A street being saved, the ilçe's other streets (names), the buildings it may cross and the
    mahalleler it must lie in."""
    others = Csbm.objects.filter(ilce_id=csbm.ilce_id).exclude(pk=csbm.pk)
    recs = csbm_recs([csbm], {csbm.pk or NEW_ID: mahalle_ids}) + csbm_recs(others)
    polys, by_ilce = _mahalleler(Mahalle.objects.filter(ilce_id=csbm.ilce_id))
    return RegisterData(csbm=recs, yapi=yapi_recs(Yapi.objects.filter(geom__bboverlaps=csbm.geom)),
                        mahalle=polys, ilce_mahalleler=by_ilce)


def yapi_data(yapi: Yapi) -> RegisterData:
    """A building being saved, its namesakes in the mahalle and the centrelines near it."""
    same = Yapi.objects.none()
    if yapi.tanitim_no and yapi.mahalle_id:
        same = Yapi.objects.filter(mahalle_id=yapi.mahalle_id, tanitim_no=yapi.tanitim_no).exclude(pk=yapi.pk)
    return RegisterData(csbm=csbm_recs(Csbm.objects.filter(geom__bboverlaps=yapi.geom)),
                        yapi=yapi_recs([yapi, *same]))


def adres_data(adres: Adres) -> RegisterData:
    """An address being saved, its building, its street and the street's other doors."""
    others = Adres.objects.filter(csbm_id=adres.csbm_id).exclude(pk=adres.pk) if adres.csbm_id else []
    return RegisterData(csbm=csbm_recs(Csbm.objects.filter(pk=adres.csbm_id)),
                        yapi=yapi_recs(Yapi.objects.filter(pk=adres.yapi_id)),
                        adres=adres_recs([adres, *others]))


def street_starts(ilce: Ilce) -> dict[int, BaseGeometry]:
    """CSBM id -> its recorded numbering start, in the local grid (streets without one left out)."""
    rows = list(Csbm.objects.filter(ilce=ilce, baslangic__isnull=False).values_list("pk", "baslangic"))
    return dict(zip([pk for pk, _ in rows], many_to_local([p for _, p in rows]), strict=True))


def report(ilce: Ilce | None = None) -> list[Violation]:
    """Every MAKS violation of one ilçe, or of the whole register, with the numbering check's
    findings on sides and order (services/numbering_check.py)."""
    out: list[Violation] = []
    for i in [ilce] if ilce is not None else list(Ilce.objects.order_by("pk")):
        data = district_data(i)
        out += check(data) + street_order_violations(data, street_starts(i))
    return out


def numbering_report(ilce: Ilce | None = None) -> list[Violation]:
    """The numbering check alone over every door of every street: sides, order, no number twice."""
    ilceler = [ilce] if ilce is not None else list(Ilce.objects.order_by("pk"))
    return [v for i in ilceler for v in check_numbering(district_data(i), street_starts(i))]


def rule_titles() -> dict[str, Promise]:
    """Code -> title of every rule the report checks, in the report's order."""
    return {**{code: title for code, (title, _model, _fn) in RULES.items()}, **NUMBERING_RULES}


def map_links() -> dict[str, str]:
    """Model label -> slug of the layer that publishes it, for links into the map editor."""
    return dict(Layer.objects.filter(source__startswith="numarataj.").values_list("source", "slug"))


def map_url(violation: Violation, links: dict[str, str]) -> str:
    slug = links.get(violation.model)
    if slug and violation.point:
        return f"/editor/?layer={slug}&focus={violation.point[0]},{violation.point[1]}"
    app, model = violation.model.split(".")
    return f"/admin/{app}/{model.lower()}/{violation.object_id}/change/"
