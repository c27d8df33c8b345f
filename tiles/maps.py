"""Mapnik maps of registry layers: one layer in its registry style (raster tiles), or a stack of
layers with or without the base map under them (WMS GetMap)."""

from geo.models import Layer
from geo.sources import Audience

from . import basemap, styles
from .mapxml import MapLayer, map_xml
from .sources import source_of

BASEMAP = "basemap"


def layer_maplayer(layer: Layer, audience: Audience = Audience.AGENCY) -> MapLayer:
    """A registry layer as a Mapnik layer drawn with its normalised registry style, with the
    attributes `audience` may see (raster tiles and WMS: agencies; a thematic map: its staff)."""
    style = styles.normalise(layer.style, layer.geometry_family)
    src = source_of(layer, audience)
    wanted = styles.attributes_used(style)
    usable = [n for n in wanted if src.has(n)]
    if style["label"] not in usable:
        style["label"] = None
    if style["classes"] and style["classes"]["property"] not in usable:
        style["classes"] = None
    attrs = src.attribute_sql(usable, as_text=True) if usable else ""
    sql = (f"SELECT {src.id_sql} AS id{', ' + attrs if attrs else ''}, {src.geom_sql} AS geom FROM {src.table} t "
           f"WHERE {src.scope_sql} AND {src.geom_sql} && !bbox!")
    paint, labels = styles.mapnik_rules(style, layer.geometry_family)
    name = f"layer-{layer.slug}"
    rules = {name: paint, **({f"{name}-labels": labels} if labels else {})}
    return MapLayer(name, sql, rules, simplify=layer.geometry_family != "point")


def layer_xml(layer: Layer, *, srs: str = "epsg:3857") -> str:
    """One layer on a transparent background: the raster tiles of /tiles/layers/<slug>/."""
    return map_xml([layer_maplayer(layer)], srs=srs)


def stack_xml(names: list[str], layers: dict[str, Layer], *, srs: str, background: str | None = None) -> str:
    """WMS layers in request order (first at the bottom); 'basemap' is Kent's base map, whose land
    colour replaces `background` (None: transparent) when it is at the bottom."""
    stack: list[MapLayer] = []
    for name in names:
        if name == BASEMAP:
            stack += basemap.layers(basemap.parts())
        else:
            stack.append(layer_maplayer(layers[name]))
    if names and names[0] == BASEMAP:
        background = basemap.LAND
    return map_xml(stack, srs=srs, background=background)
