"""Kent's base map: a municipal city plan drawn by Mapnik from Kent's own published data.

What feeds it comes from the registry, public and published layers only:
- the MAKS register's typed layers: mahalle boundaries (numarataj.Mahalle), buildings
  (numarataj.Yapi), streets by kind with their names (numarataj.Csbm), door numbers (numarataj.Adres);
- feature-store layers by their part: `style.basemap` when set ("green", "water", "places",
  "none"), else hydrography (TUCBS theme HI) is water, polygon layers named or keyworded like
  parks are green, and other point layers are places (small symbols in the layer's style colour).

Layout follows the usual city-plan order: land, green, water, mahalle lines, buildings, street
casings then fills (sokak < cadde < bulvar), then every label on top."""

import zlib
from dataclasses import dataclass, field

from geo.mapnik_env import FONT, FONT_BOLD, FONT_CONDENSED_BOLD, FONT_ITALIC
from geo.models import AccessLevel, GeometryFamily, Layer
from geo.sources import Audience
from geo.text import turkish_lower
from numarataj.models import CsbmTuru

from . import styles
from .mapxml import MapLayer, Rule, map_xml, sym, text
from .sources import source_of

LAND = "#f5f2ec"
GREEN_WORDS = ("park", "yesil", "yeşil", "mesire", "orman", "bahce", "bahçe", "koru")
PLACE_PALETTE = ("#c92a2a", "#1971c2", "#2b8a3e", "#e8590c", "#7048e8", "#0c8599", "#a61e4d", "#5c940d")

# (kind, {first zoom: width px, ...}, casing colour, fill colour), minor to major: majors draw on top.
# A width holds until the next listed zoom; a kind is not drawn below its first zoom.
STREETS = [
    (CsbmTuru.SOKAK, {14: 1.4, 15: 3, 16: 5, 17: 8, 18: 12}, "#cbc2b6", "#ffffff"),
    (CsbmTuru.KUME_EVLER, {14: 1.4, 15: 3, 16: 5, 17: 8, 18: 12}, "#cbc2b6", "#ffffff"),
    (CsbmTuru.MEYDAN, {14: 2, 15: 4, 16: 6, 17: 9, 18: 13}, "#cbc2b6", "#fbf8f3"),
    (CsbmTuru.CADDE, {12: 1.5, 13: 2.5, 14: 3.5, 15: 5.5, 16: 8, 17: 11, 18: 16}, "#c9b27f", "#fdf3b5"),
    (CsbmTuru.BULVAR, {11: 2, 13: 3.5, 14: 5, 15: 7, 16: 10, 17: 14, 18: 20}, "#c98d4b", "#f9c27a"),
]
PUBLIC_USES = ("kamu", "egitim", "saglik", "ibadet")


@dataclass
class Parts:
    """Registry layers feeding each part of the base map."""

    typed: dict[str, Layer] = field(default_factory=dict)  # source -> layer
    green: list[Layer] = field(default_factory=list)
    water: list[Layer] = field(default_factory=list)
    places: list[Layer] = field(default_factory=list)


def _part(layer: Layer) -> str | None:
    role = styles.normalise(layer.style, layer.geometry_family)["basemap"]
    if role:
        return None if role == "none" else role
    words = turkish_lower(" ".join([layer.slug, *map(str, layer.keywords or [])]))
    if layer.theme_id == "HI":
        return "water"
    if layer.geometry_family == GeometryFamily.POLYGON and any(w in words for w in GREEN_WORDS):
        return "green"
    if layer.geometry_family == GeometryFamily.POINT:
        return "places"
    return None


def parts() -> Parts:
    out = Parts()
    for layer in Layer.objects.filter(published=True, access_level=AccessLevel.PUBLIC).order_by("slug"):
        if not layer.is_feature_store:
            out.typed.setdefault(layer.source, layer)
            continue
        part = _part(layer)
        if part:
            getattr(out, part).append(layer)
    return out


def _zoom_rules(kind_filter: str, widths: dict[int, float], colour: str, extra: float) -> list[Rule]:
    zooms = sorted(widths)
    rules = []
    for i, z in enumerate(zooms):
        last = zooms[i + 1] - 1 if i + 1 < len(zooms) else None
        rules.append(Rule([sym("LineSymbolizer", stroke=colour, stroke_width=widths[z] + extra,
                               stroke_linecap="round", stroke_linejoin="round")],
                          min_zoom=z, max_zoom=last, filter=kind_filter))
    return rules


def _feature_sql(layers: list[Layer], dimension: int, extra: str = "") -> str:
    ids = ",".join(str(int(lyr.pk)) for lyr in layers)
    return (f"SELECT t.id, t.layer_id, t.properties ->> 'ad' AS ad{extra}, t.geom FROM geo_feature t "
            f"WHERE t.layer_id IN ({ids}) AND ST_Dimension(t.geom) = {dimension} AND t.geom && !bbox!")


def _typed_sql(layer: Layer, columns: str, *, where: str = "TRUE", order: str = "") -> str:
    src = source_of(layer, Audience.STAFF)  # geometry and street names, drawn for everyone
    return (f"SELECT {columns}, {src.geom_sql} AS geom FROM {src.table} t "
            f"WHERE {where} AND {src.geom_sql} && !bbox! {order}")


def _halo_text(expr: str, size: float, fill: str, face: str = FONT, **kw) -> object:
    return text(expr, face_name=face, size=size, fill=fill, halo_fill="#ffffff", halo_radius=1.5, **kw)


def layers(p: Parts) -> list[MapLayer]:
    """The base map's Mapnik layers, bottom to top."""
    out: list[MapLayer] = []
    labels: list[MapLayer] = []
    if p.green:
        out.append(MapLayer("green", _feature_sql(p.green, 2), {"green": [
            Rule([sym("PolygonSymbolizer", fill="#cfe8b4", gamma=0.6)], min_zoom=10),
            Rule([sym("LineSymbolizer", stroke="#a9d08e", stroke_width=0.8)], min_zoom=15)]}, simplify=True))
        labels.append(MapLayer("green-labels", _feature_sql(p.green, 2), {"green-labels": [
            Rule([_halo_text("[ad]", 10, "#2f6b1f", FONT_ITALIC, placement="interior", wrap_width=80)],
                 min_zoom=16)]}))
    if p.water:
        for dim, part in ((2, "water-areas"), (1, "water-lines")):
            shape = (sym("PolygonSymbolizer", fill="#aad3df") if dim == 2
                     else sym("LineSymbolizer", stroke="#aad3df", stroke_width=2.5, stroke_linecap="round"))
            out.append(MapLayer(part, _feature_sql(p.water, dim), {part: [Rule([shape], min_zoom=9)]}, simplify=True))
    mahalle = p.typed.get("numarataj.Mahalle")
    if mahalle:
        out.append(MapLayer("mahalle", _typed_sql(mahalle, "t.id, t.ad"), {"mahalle": [
            Rule([sym("LineSymbolizer", stroke="#9c8fbf", stroke_width=1.2, stroke_dasharray="6,3")],
                 min_zoom=11, max_zoom=14),
            Rule([sym("LineSymbolizer", stroke="#9c8fbf", stroke_width=2.2, stroke_dasharray="8,4",
                      stroke_opacity=0.8)], min_zoom=15)]}, simplify=True))
        labels.append(MapLayer("mahalle-labels", _typed_sql(mahalle, "t.id, upper(t.ad) AS ad"), {"mahalle-labels": [
            Rule([_halo_text("[ad]", 12, "#6c5f93", FONT_CONDENSED_BOLD, placement="interior",
                             character_spacing=2, wrap_width=100)], min_zoom=13, max_zoom=16)]}))
    yapi = p.typed.get("numarataj.Yapi")
    if yapi:
        public = " or ".join(f"[kullanim] = '{u}'" for u in PUBLIC_USES)
        out.append(MapLayer("buildings", _typed_sql(yapi, "t.id, t.kullanim, t.ad"), {"buildings": [
            Rule([sym("PolygonSymbolizer", fill="#dcd3ca", gamma=0.7)], min_zoom=14, max_zoom=14),
            Rule([sym("PolygonSymbolizer", fill="#e4cfcc"), sym("LineSymbolizer", stroke="#c4a6a1", stroke_width=0.6)],
                 min_zoom=15, filter=public),
            Rule([sym("PolygonSymbolizer", fill="#dcd3ca"), sym("LineSymbolizer", stroke="#c2b5a8", stroke_width=0.6)],
                 min_zoom=15, otherwise=True)]}))
        labels.append(MapLayer("building-labels", _typed_sql(yapi, "t.id, t.ad", where="t.ad <> ''"), {
            "building-labels": [
                Rule([_halo_text("[ad]", 9, "#6b5d52", placement="interior", wrap_width=70)], min_zoom=17)]}))
    csbm = p.typed.get("numarataj.Csbm")
    if csbm:
        out.append(_streets(csbm))
        labels.append(_street_labels(csbm))
    if p.places:
        out.append(_places(p.places))
        labels.append(MapLayer("place-labels", _feature_sql(p.places, 0), {"place-labels": [
            Rule([_halo_text("[ad]", 9, "#495057", placement="point", dy=9, wrap_width=80)], min_zoom=17)]}))
    adres = p.typed.get("numarataj.Adres")
    if adres:
        labels.append(MapLayer("doors", _typed_sql(adres, "t.id, t.kapi_no", where="t.kapi_no <> ''"), {
            "doors": [
                Rule([_halo_text("[kapi_no]", 8, "#8a7d72")], min_zoom=18)]}))
    return out + labels


def _kind_order() -> str:
    return "ORDER BY CASE t.tur " + " ".join(f"WHEN '{k.value}' THEN {i}" for i, (k, *_) in enumerate(STREETS)) + " END"


def _streets(csbm: Layer) -> MapLayer:
    casing, fill = [], []
    for kind, widths, casing_colour, fill_colour in STREETS:
        f = f"[tur] = '{kind.value}'"
        casing += _zoom_rules(f, widths, casing_colour, 1.6)
        fill += _zoom_rules(f, widths, fill_colour, 0)
    return MapLayer("streets", _typed_sql(csbm, "t.id, t.tur", order=_kind_order()),
                    {"street-casing": casing, "street-fill": fill}, simplify=True)


def _street_labels(csbm: Layer) -> MapLayer:
    name = source_of(csbm, Audience.STAFF).fields["tam_ad"].sql
    major = f"[tur] = '{CsbmTuru.BULVAR.value}' or [tur] = '{CsbmTuru.CADDE.value}'"
    common = {"placement": "line", "max_char_angle_delta": 30, "spacing": 400, "minimum_path_length": 40}
    return MapLayer("street-labels", _typed_sql(csbm, f"t.id, t.tur, {name} AS ad"), {"street-labels": [
        Rule([_halo_text("[ad]", 10.5, "#3b3024", FONT_BOLD, **common)], min_zoom=15, filter=major),
        Rule([_halo_text("[ad]", 9.5, "#4a4038", **common)], min_zoom=16, otherwise=True)]})


def place_colour(layer: Layer) -> str:
    """A place layer's symbol colour: its registry style's fill, else a stable pick by slug."""
    fill = (layer.style or {}).get("fill") if isinstance(layer.style, dict) else None
    if isinstance(fill, str) and styles.HEX.fullmatch(fill):
        return fill
    return PLACE_PALETTE[zlib.crc32(layer.slug.encode()) % len(PLACE_PALETTE)]


def _places(places: list[Layer]) -> MapLayer:
    rules = []
    for layer in places:
        colour = place_colour(layer)
        for first, last, d in ((15, 16, 6), (17, None, 9)):
            rules.append(Rule([sym("MarkersSymbolizer", marker_type="ellipse", width=d, height=d, fill=colour,
                                   stroke="#ffffff", stroke_width=1.2, allow_overlap="true", placement="point")],
                              min_zoom=first, max_zoom=last, filter=f"[layer_id] = {int(layer.pk)}"))
    return MapLayer("places", _feature_sql(places, 0), {"places": rules})


def basemap_xml(*, srs: str = "epsg:3857") -> str:
    """The base map's complete Mapnik XML, from the registry as it is now."""
    return map_xml(layers(parts()), srs=srs, background=LAND)
