"""Thematic maps: a numeric measure aggregated per mahalle or per grid cell, classed, and saved as
a registry layer in the feature store with its choropleth style.

A metric is SQL yielding one row per counted thing, `geom` (storage SRID; points are best) and
`v` (a number), plus how rows add up (count, sum or avg). The built-in metrics read the MAKS
register; `layer:<slug>` counts a feature-store layer's features and `layer:<slug>:<property>`
sums a numeric property. Smart-city indicators plug in with register_metric() and the same
aggregation. Grid cells are squares of the local TUREF/TM zone, so a 250 m cell is 250 m."""

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import InvalidInput, NotFound
from geo.models import AccessLevel, Feature, GeometryFamily, Layer
from geo.sources import Audience, NotPublishable, describe
from geo.sources.sql import Source
from numarataj.models import Adres, BagimsizBolum, Mahalle, Yapi

from . import cache
from .tilesets import layer_tilesets

CLASSES = 5
RAMPS = {
    "kirmizi": ["#fff1d6", "#fdc98c", "#f7945a", "#dc5537", "#a11f28"],
    "mavi": ["#edf4fb", "#c0d6ee", "#84b1da", "#4580bd", "#1c4d8f"],
    "yesil": ["#eff8e6", "#c5e5ad", "#8acb7c", "#42a04e", "#1a6a32"],
}
METHODS = ("quantile", "equal")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    sql: str  # SELECT <geom> AS geom, <number> AS v FROM ...
    agg: str = "count"  # count | sum | avg
    source: str = ""  # data source line for prints


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    METRICS[metric.key] = metric


def _t(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _builtin() -> None:
    maks = _("Kent MAKS adres kaydı")
    register_metric(Metric("yapi_count", _("Yapı sayısı"), _("yapı"),
                           f"SELECT ST_PointOnSurface(geom) AS geom, 1 AS v FROM {_t(Yapi)}", "count",
                           f"{maks} (yapılar)"))
    register_metric(Metric("kat_toplam", _("Zemin üstü kat toplamı"), _("kat"),
                           f"SELECT ST_PointOnSurface(geom) AS geom, kat_ust AS v FROM {_t(Yapi)}", "sum",
                           f"{maks} (yapılar)"))
    register_metric(Metric("kat_ortalama", _("Ortalama kat sayısı"), _("kat"),
                           f"SELECT ST_PointOnSurface(geom) AS geom, kat_ust AS v FROM {_t(Yapi)}", "avg",
                           f"{maks} (yapılar)"))
    register_metric(Metric("bagimsiz_bolum", _("Bağımsız bölüm sayısı"), _("bölüm"),
                           f"SELECT a.geom, 1 AS v FROM {_t(BagimsizBolum)} b JOIN {_t(Adres)} a ON a.id = b.adres_id",
                           "count", f"{maks} (bağımsız bölümler)"))
    register_metric(Metric("adres_count", _("Dış kapı (adres) sayısı"), _("adres"),
                           f"SELECT geom, 1 AS v FROM {_t(Adres)}", "count", f"{maks} (adresler)"))


def _layer_metric(key: str) -> Metric:
    """'layer:<slug>[:<property>]': a count of the layer's rows, or the sum of a numeric attribute
    it publishes to staff (read through the publication policy: never a personal one)."""
    slug, *prop = key.split(":", 2)[1:]
    layer = Layer.objects.filter(slug=slug).first()
    try:
        src = Source.from_data(describe(layer, Audience.STAFF)) if layer else None
    except NotPublishable:
        src = None
    if layer is None or src is None:
        raise NotFound(_("'{slug}' katmanı yok. (No layer '{slug}'.)").format(slug=slug))
    rows = f"FROM {src.table} t WHERE {src.scope_sql}"
    geom = f"ST_PointOnSurface({src.geom_sql})"
    source = _("Kent katman kataloğu: {title}").format(title=layer.title_tr)
    if not prop:
        return Metric(key, _("{title}: detay sayısı").format(title=layer.title_tr), _("adet"),
                      f"SELECT {geom} AS geom, 1 AS v {rows}", "count", source)
    field = src.fields.get(prop[0])
    if field is None or field.kind != "number":
        raise InvalidInput(_("'{name}' bu katmanın sayısal bir özniteliği değil. (Not a numeric attribute of the "
                             "layer.)").format(name=prop[0][:40]))
    return Metric(key, f"{layer.title_tr}: {prop[0]}", "",
                  f"SELECT {geom} AS geom, ({field.sql})::float8 AS v {rows} AND ({field.sql}) IS NOT NULL", "sum",
                  source)


def metric_for(key: str) -> Metric:
    """A registered metric, or one read from a feature-store layer ('layer:<slug>[:<property>]')."""
    if not METRICS:
        _builtin()
    if key in METRICS:
        return METRICS[key]
    if key.startswith("layer:"):
        return _layer_metric(key)
    raise InvalidInput(_("Bilinmeyen ölçü '{key}'; kullanılabilenler: {ok}, layer:<katman>[:<öznitelik>].")
                       .format(key=key, ok=", ".join(METRICS)))


@dataclass
class Unit:
    name: str
    geom: GEOSGeometry
    value: float
    n: int
    klass: int = 0


def aggregate(metric: Metric, by: str = "mahalle", cell_m: float = 250.0) -> list[Unit]:
    """The metric per mahalle (every mahalle, 0 where nothing is counted) or per grid cell (cells
    holding at least one row)."""
    agg = {"count": "count(s.v)", "sum": "coalesce(sum(s.v), 0)", "avg": "avg(s.v)"}[metric.agg]
    local = int(settings.LOCAL_SRID)
    if by == "mahalle":
        sql = (f"WITH s AS ({metric.sql}) SELECT u.ad, ST_AsBinary(u.geom), {agg}, count(s.v) "
               f"FROM {_t(Mahalle)} u LEFT JOIN s ON ST_Intersects(u.geom, s.geom) "
               f"GROUP BY u.id, u.ad, u.geom ORDER BY u.ad")
        params: list = []
    elif by == "grid":
        if not 10 <= cell_m <= 100_000:
            raise InvalidInput(_("Hücre boyu 10 m ile 100 km arasında olmalı. (Cell size out of range.)"))
        sql = (f"WITH s AS (SELECT ST_Transform(geom, {local}) AS geom, v FROM ({metric.sql}) m"
               f" WHERE geom IS NOT NULL),"
               f" cells AS (SELECT g.i, g.j, g.geom FROM (SELECT ST_SetSRID(ST_Extent(geom), {local}) AS e FROM s) x,"
               f" ST_SquareGrid(%s, x.e) g)"
               f" SELECT c.i || ',' || c.j, ST_AsBinary(ST_Transform(c.geom, 4326)), {agg}, count(s.v)"
               f" FROM cells c JOIN s ON ST_Intersects(c.geom, s.geom) GROUP BY c.i, c.j, c.geom ORDER BY c.j, c.i")
        params = [float(cell_m)]
    else:
        raise InvalidInput(_("Birim 'mahalle' ya da 'grid' olmalı. (by must be mahalle or grid.)"))
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    return [Unit(name, GEOSGeometry(memoryview(bytes(wkb)), srid=4326), float(value or 0), int(n))
            for name, wkb, value, n in rows]


def breaks(values: list[float], method: str = "quantile", k: int = CLASSES) -> list[float]:
    """Upper bounds of up to k classes (fewer when values repeat); the last is the maximum."""
    if not values:
        return []
    arr = np.asarray(values, dtype="float64")
    lo, hi = float(arr.min()), float(arr.max())
    if method == "equal":
        bounds = [lo + (hi - lo) * i / k for i in range(1, k + 1)]
    elif method == "quantile":
        bounds = [float(np.quantile(arr, i / k, method="inverted_cdf")) for i in range(1, k + 1)]
    else:
        raise InvalidInput(_("Sınıflama 'quantile' ya da 'equal' olmalı. (method must be quantile or equal.)"))
    bounds[-1] = hi
    return sorted(set(bounds))


def _fmt(v: float) -> str:
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}".replace(",", ".")
    return f"{v:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def classify(units: list[Unit], method: str) -> list[dict]:
    """Give each unit its class (1..n) and return the classes: upper bound, label."""
    uppers = breaks([u.value for u in units], method)
    classes, lower = [], min((u.value for u in units), default=0.0)
    for i, upper in enumerate(uppers, start=1):
        classes.append({"klass": i, "upper": upper, "label": f"{_fmt(lower)} – {_fmt(upper)}"})
        lower = upper
    for u in units:
        u.klass = next((c["klass"] for c in classes if u.value <= c["upper"] + 1e-9), len(classes))
    return classes


def choropleth_style(classes: list[dict], ramp: str, labels: bool) -> dict:
    colours = RAMPS.get(ramp, RAMPS["kirmizi"])
    picks = [colours[round(i * (len(colours) - 1) / max(1, len(classes) - 1))] for i in range(len(classes))]
    return {
        "fill": "#dddddd", "fill_opacity": 0.9, "stroke": "#ffffff", "stroke_width": 0.8, "basemap": "none",
        "label": "ad" if labels else None, "label_size": 10,
        "classes": {"property": "sinif", "values": [
            {"value": c["klass"], "fill": colour, "label": c["label"]}
            for c, colour in zip(classes, picks, strict=True)]},
    }


@dataclass
class ThematicMap:
    layer: Layer
    metric: Metric
    by: str
    method: str
    units: list[Unit]
    classes: list[dict]
    made_at: datetime = field(default_factory=timezone.now)


def slug_for(metric_key: str, by: str) -> str:
    words = [p for p in metric_key.replace(":", "-").replace("_", "-").split("-") if p]
    return f"tematik-{'-'.join(words)[:50]}-{by}"


@transaction.atomic
def make_thematic(metric_key: str, *, by: str = "mahalle", method: str = "quantile", title: str = "",
                  ramp: str = "kirmizi", cell_m: float = 250.0, slug: str = "", public: bool = False) -> ThematicMap:
    """Aggregate, classify and (re)write the thematic layer; its tiles are dropped on commit."""
    metric = metric_for(metric_key)
    units = aggregate(metric, by, cell_m)
    if not units:
        raise InvalidInput(_("Haritalanacak veri yok. (Nothing to map.)"))
    classes = classify(units, method)
    slug = slug or slug_for(metric_key, by)
    title = title or f"{metric.label} ({_('mahalle') if by == 'mahalle' else _('{m:g} m ızgara').format(m=cell_m)})"
    now = timezone.now()
    method_tr = _("eşit aralık") if method == "equal" else _("çeyrekler (eşit sayıda birim)")
    layer, _created = Layer.objects.update_or_create(slug=slug, defaults={
        "title_tr": title[:200], "theme_id": "IB", "geometry_family": GeometryFamily.POLYGON,
        "source": "geo.Feature", "access_level": AccessLevel.PUBLIC if public else AccessLevel.INTERNAL,
        "published": True, "style": choropleth_style(classes, ramp, labels=by == "mahalle"),
        "attribute_schema": {"properties": {"ad": {"type": "string"}, "deger": {"type": "number"},
                                            "sinif": {"type": "integer"}, "aralik": {"type": "string"},
                                            "adet": {"type": "integer"}}},
        "abstract": _("{label}, {unit_kind} başına; {n} sınıf, {method}.").format(
            label=metric.label, unit_kind=_("mahalle") if by == "mahalle" else _("ızgara hücresi"),
            n=len(classes), method=method_tr),
        "keywords": ["tematik harita", metric.key, by], "lineage": metric.source,
        "data_updated_at": now,
    })
    Feature.objects.filter(layer=layer).delete()
    labels = {c["klass"]: c["label"] for c in classes}
    Feature.objects.bulk_create([Feature(layer=layer, geom=u.geom, properties={
        "ad": u.name, "deger": round(u.value, 3) if not math.isnan(u.value) else None, "sinif": u.klass,
        "aralik": labels[u.klass], "adet": u.n}) for u in units])
    transaction.on_commit(lambda: [cache.clear(t) for t in layer_tilesets(slug)])
    return ThematicMap(layer, metric, by, method, units, classes, now)
