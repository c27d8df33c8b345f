"""Registry styles: the `style` JSON of a geo.Layer, its defaults, and the Mapnik rules it gives.

Keys (all optional; unknown keys are ignored, bad values fall back to the default):

    fill          "#rrggbb"  area and point fill
    fill_opacity  0..1       area fill opacity (points are opaque)
    stroke        "#rrggbb"  line colour, area outline, point ring
    stroke_width  px         line width / outline width (0 = none)
    stroke_opacity 0..1
    dash          [on, off]  dashed lines and outlines, px
    radius        px         point symbol radius
    label         attribute  attribute to write next to / along / inside features
    label_size    px         label font size (default 10)
    label_color   "#rrggbb"
    min_zoom, max_zoom       zooms the layer is drawn at (default 0..22)
    classes       {"property": "sinif", "values": [{"value": 1, "fill": "#fee5d9", "label": "0 – 12"}, ...]}
                  a classed (choropleth) or categorised style: each value's keys override the base
    basemap       "green" | "water" | "places" | "none": the layer's part in the base map (see basemap.py)

Defaults depend on the geometry family (DEFAULTS). Colours are checked against a hex pattern,
so a style can never inject anything into the Mapnik XML or an expression."""

import re
from typing import Any

from geo.mapnik_env import FONT
from geo.models import GeometryFamily

from .mapxml import Rule, sym, text

HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
NAME = re.compile(r"[^\W\d][\w]*")  # an attribute name usable in a Mapnik expression

DEFAULTS: dict[str, dict[str, Any]] = {
    GeometryFamily.POINT: {"fill": "#d9480f", "stroke": "#ffffff", "stroke_width": 1.0, "radius": 4.0},
    GeometryFamily.LINE: {"stroke": "#1c7ed6", "stroke_width": 2.0},
    GeometryFamily.POLYGON: {"fill": "#74c0fc", "fill_opacity": 0.55, "stroke": "#1864ab", "stroke_width": 1.0},
}
COMMON = {"stroke_opacity": 1.0, "fill_opacity": 1.0, "label_size": 10.0, "label_color": "#212529",
          "min_zoom": 0, "max_zoom": 22}


def _colour(value: Any, default: str | None) -> str | None:
    return value if isinstance(value, str) and HEX.fullmatch(value) else default


def _number(value: Any, default: float, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(min(hi, max(lo, value)))


def _name(value: Any) -> str | None:
    return value if isinstance(value, str) and NAME.fullmatch(value) else None


def _paint(raw: dict, base: dict) -> dict[str, Any]:
    """The drawing keys of a style or of one class, checked, over `base`."""
    return {
        "fill": _colour(raw.get("fill"), base.get("fill")),
        "stroke": _colour(raw.get("stroke"), base.get("stroke")),
        "fill_opacity": _number(raw.get("fill_opacity"), base["fill_opacity"], 0, 1),
        "stroke_opacity": _number(raw.get("stroke_opacity"), base["stroke_opacity"], 0, 1),
        "stroke_width": _number(raw.get("stroke_width"), base.get("stroke_width", 1.0), 0, 50),
        "radius": _number(raw.get("radius"), base.get("radius", 4.0), 0.5, 50),
    }


def normalise(style: dict | None, family: str) -> dict[str, Any]:
    """A complete, checked style: the registry JSON over the family's defaults."""
    raw = style if isinstance(style, dict) else {}
    base = {**COMMON, **DEFAULTS.get(family, DEFAULTS[GeometryFamily.POLYGON])}
    out = {**base, **_paint(raw, base)}
    dash = raw.get("dash")
    out["dash"] = [_number(d, 1, 0.5, 100) for d in dash[:8]] if isinstance(dash, list) and dash else None
    out["label"] = _name(raw.get("label"))
    out["label_size"] = _number(raw.get("label_size"), base["label_size"], 4, 48)
    out["label_color"] = _colour(raw.get("label_color"), base["label_color"])
    out["min_zoom"] = int(_number(raw.get("min_zoom"), 0, 0, 22))
    out["max_zoom"] = int(_number(raw.get("max_zoom"), 22, 0, 22))
    out["classes"] = _classes(raw.get("classes"), out)
    out["basemap"] = raw.get("basemap") if raw.get("basemap") in {"green", "water", "places", "none"} else None
    return out


def _classes(raw: Any, base: dict) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not _name(raw.get("property")) or not isinstance(raw.get("values"), list):
        return None
    values = []
    for item in raw["values"]:
        if isinstance(item, dict) and isinstance(item.get("value"), str | int | float):
            values.append({"value": str(item["value"]), "label": str(item.get("label", item["value"]))[:80],
                           **_paint(item, base)})
    return {"property": raw["property"], "values": values}


def attributes_used(style: dict[str, Any]) -> list[str]:
    """Attributes the style reads (they must be selected, as text, by the layer's SQL)."""
    names = [style["label"]] if style["label"] else []
    if style["classes"]:
        names.append(style["classes"]["property"])
    return names


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _symbolizers(paint: dict[str, Any], family: str, dash: list[float] | None) -> list:
    dasharray = ",".join(f"{d:g}" for d in dash) if dash else None
    if family == GeometryFamily.POINT:
        d = 2 * paint["radius"]
        return [sym("MarkersSymbolizer", marker_type="ellipse", width=d, height=d, fill=paint["fill"] or "#000",
                    stroke=paint["stroke"] or "#fff", stroke_width=paint["stroke_width"], allow_overlap="true",
                    ignore_placement="true", placement="point")]
    out = []
    if family == GeometryFamily.POLYGON and paint["fill"]:
        out.append(sym("PolygonSymbolizer", fill=paint["fill"], fill_opacity=paint["fill_opacity"], gamma=0.6))
    if paint["stroke"] and paint["stroke_width"] > 0:
        out.append(sym("LineSymbolizer", stroke=paint["stroke"], stroke_width=paint["stroke_width"],
                       stroke_opacity=paint["stroke_opacity"], stroke_dasharray=dasharray,
                       stroke_linejoin="round", stroke_linecap="round"))
    return out


def _label(style: dict[str, Any], family: str) -> Any:
    placement = {GeometryFamily.LINE: "line", GeometryFamily.POLYGON: "interior"}.get(family, "point")
    return text(f"[{style['label']}]", face_name=FONT, size=style["label_size"], fill=style["label_color"],
                halo_fill="#ffffff", halo_radius=1.5, placement=placement,
                dy=style["radius"] + 6 if family == GeometryFamily.POINT else 0,
                wrap_width=90 if placement != "line" else 0, max_char_angle_delta=30, spacing=300)


def mapnik_rules(style: dict[str, Any], family: str) -> tuple[list[Rule], list[Rule]]:
    """(paint rules, label rules) of a layer with a normalised style: classes first, the base as
    ElseFilter. Labels go in a style of their own, since any matching rule would cancel ElseFilter."""
    zooms = {"min_zoom": style["min_zoom"] or None, "max_zoom": style["max_zoom"] if style["max_zoom"] < 22 else None}
    rules = []
    classes = style["classes"]
    if classes:
        for item in classes["values"]:
            rules.append(Rule(_symbolizers(item, family, style["dash"]), **zooms,
                              filter=f"[{classes['property']}] = {_quote(item['value'])}"))
        rules.append(Rule(_symbolizers(style, family, style["dash"]), **zooms, otherwise=True))
    else:
        rules.append(Rule(_symbolizers(style, family, style["dash"]), **zooms))
    labels = [Rule([_label(style, family)], **zooms)] if style["label"] else []
    return rules, labels


def legend(style: dict[str, Any]) -> list[dict[str, Any]]:
    """Legend entries (label, fill, stroke) of a normalised style, one per class or one in all."""
    if style["classes"]:
        return [{"label": c["label"], "fill": c["fill"], "stroke": c["stroke"]} for c in style["classes"]["values"]]
    return [{"label": "", "fill": style["fill"], "stroke": style["stroke"]}]
