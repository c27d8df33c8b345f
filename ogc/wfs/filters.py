"""Filter Encoding 2.0 (XML) to SQL through the same translator as OGC API's CQL2 (ogc/cql.py).

pygeofilter's FES parser turns the XML into the AST its CQL2 parsers make; this module only
adapts what FES says differently before the translator sees it: property names may carry a
namespace prefix, a BBOX may leave its geometry property out, PropertyIsLike names its own
wildcard characters, literals are untyped text (a number compared with `kat` arrives as '3'),
and a geometry's axis order follows how its srsName is written (ogc/wfs/crs.py). Everything else
— published-field lookup, parameters, types, spatial SQL — is the translator's."""

import dataclasses
from dataclasses import dataclass
from typing import Any

import shapely
import shapely.geometry
from lxml import etree
from pygeofilter import ast, values
from pygeofilter.parsers.fes import parse as parse_fes
from pygml.axisorder import is_crs_yx

from geo.errors import KentError
from geo.sources.sql import Source

from .. import conf
from ..cql import GEOMETRY_NAMES, Translator
from ..params import coerce
from . import crs as wfs_crs
from .describe import GEOMETRY
from .ows import FES, local_name

FES_11 = "http://www.opengis.net/ogc"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
COMPARISONS = (ast.Equal, ast.NotEqual, ast.LessThan, ast.LessEqual, ast.GreaterThan, ast.GreaterEqual)


def bad(message: str) -> KentError:
    return KentError(f"Geçersiz filtre: {message}. (Invalid filter.)", parameter="filter")


@dataclass
class ParsedFilter:
    """A filter as the FeatureQuery takes it: SQL, or the feature ids of a ResourceId filter."""

    sql: tuple[str, list[Any]] | None = None
    ids: list[str] | None = None


def element(text: str | bytes) -> etree._Element:
    if len(text) > conf.max_filter_chars():
        raise bad(f"filtre çok uzun ({len(text)} karakter; en çok {conf.max_filter_chars()})")
    try:
        return etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text, _PARSER)
    except etree.XMLSyntaxError as e:
        raise bad(f"XML okunamadı: {str(e)[:120]}") from e


def resource_ids(root: etree._Element) -> list[str] | None:
    """The rid values when the filter is a list of fes:ResourceId (ogc:GmlObjectId/FeatureId in 1.1)."""
    found = [node.get("rid") or node.get("fid") or node.get("{http://www.opengis.net/gml}id") or ""
             for node in root if etree.QName(node).localname in {"ResourceId", "FeatureId", "GmlObjectId"}]
    return found or None


def _swap(geometry: dict[str, Any]) -> dict[str, Any]:
    swapped = shapely.geometry.mapping(shapely.transform(shapely.geometry.shape(geometry), lambda c: c[:, ::-1]))
    return {**swapped, "crs": geometry.get("crs")}


def _geometry(node: values.Geometry) -> values.Geometry:
    """Coordinates as the translator reads them: in the authority's order of a CRS it knows."""
    geometry = dict(node.geometry)
    name = (geometry.get("crs") or {}).get("properties", {}).get("name")
    if not name:
        return node
    asked = wfs_crs.parse(name, "filter")
    target = wfs_crs.authority_order(asked)
    swaps = bool(is_crs_yx(name)) ^ asked.flip ^ target.flip
    geometry["crs"] = {"type": "name", "properties": {"name": target.uri}}
    try:
        return values.Geometry(_swap(geometry) if swaps else geometry)
    except Exception as e:  # shapely raises several types for malformed geometries
        raise bad("geometri okunamadı") from e


def _like_pattern(node: ast.Like) -> str:
    """The FES pattern in SQL LIKE form, with a backslash as the escape character."""
    out, escaped = [], False
    for ch in node.pattern or "":
        if escaped:
            out.append("\\" + ch if ch in "%_\\" else ch)
            escaped = False
        elif ch == node.escapechar:
            escaped = True
        elif ch == node.wildcard:
            out.append("%")
        elif ch == node.singlechar:
            out.append("_")
        else:
            out.append("\\" + ch if ch in "%_\\" else ch)
    return "".join(out)


class Adapter:
    """Rewrites a parsed FES tree for one layer's source."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def attribute(self, node: Any) -> Any:
        if node is None:  # BBOX without a property: the feature's geometry
            return ast.Attribute(GEOMETRY)
        if isinstance(node, ast.Attribute):
            name = local_name(node.name)
            return ast.Attribute(GEOMETRY if name in GEOMETRY_NAMES else name)
        return self.walk(node)

    def _text_to_field(self, attribute: Any, value: Any) -> Any:
        """An untyped literal compared with a number or boolean attribute, as that type."""
        if isinstance(attribute, ast.Attribute) and isinstance(value, str):
            f = self.source.fields.get(attribute.name)
            if f is not None and f.type in {"integer", "number", "boolean"}:
                return coerce(f, value.strip())
        return value

    def walk(self, node: Any) -> Any:
        if isinstance(node, ast.Not):
            return ast.Not(self.walk(node.sub_node))
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, values.Geometry):
            return _geometry(node)
        if isinstance(node, ast.Like):
            return dataclasses.replace(node, lhs=self.attribute(node.lhs), pattern=_like_pattern(node),
                                       wildcard="%", singlechar="_", escapechar="\\")
        if isinstance(node, COMPARISONS):
            lhs, rhs = self.attribute(node.lhs), self.attribute(node.rhs)
            return type(node)(self._text_to_field(rhs, lhs), self._text_to_field(lhs, rhs))
        if isinstance(node, ast.Between):
            lhs = self.attribute(node.lhs)
            return ast.Between(lhs, self._text_to_field(lhs, node.low), self._text_to_field(lhs, node.high),
                               node.not_)
        if isinstance(node, ast.SpatialComparisonPredicate | ast.SpatialDistancePredicate):
            return dataclasses.replace(node, lhs=self.attribute(node.lhs), rhs=self.attribute(node.rhs))
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            return dataclasses.replace(node, **{f.name: self.walk(getattr(node, f.name))
                                                for f in dataclasses.fields(node) if f.init})
        return node


def translate(text: str | bytes | etree._Element, source: Source) -> ParsedFilter:
    """A fes:Filter (text or an element of a POSTed query) for `source`."""
    root = text if isinstance(text, etree._Element) else element(text)
    if etree.QName(root).localname != "Filter" or etree.QName(root).namespace not in {FES, FES_11}:
        raise bad("kök öğe fes:Filter olmalı (http://www.opengis.net/fes/2.0)")
    ids = resource_ids(root)
    if ids is not None:
        return ParsedFilter(ids=ids)
    for literal in root.iter(f"{{{FES}}}Literal"):
        if literal.get("type") is None:  # pygeofilter 0.4's FES 2.0 parser needs one; untyped is text
            literal.set("type", "xs:string")
    for envelope in root.iter("{*}Envelope"):  # pygml reads an envelope's srsName from its corners only
        for corner in envelope:
            if envelope.get("srsName") and corner.get("srsName") is None:
                corner.set("srsName", envelope.get("srsName") or "")
    try:
        tree = parse_fes(root)
    except KentError:
        raise
    except Exception as e:  # the parser raises many types; all mean the same to the client
        first = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
        raise bad(f"çözümlenemedi: {first}") from e
    adapted = Adapter(source).walk(tree)
    default = wfs_crs.authority_order(wfs_crs.parse(None, "filter"))
    return ParsedFilter(sql=Translator(source, default).where(adapted))
