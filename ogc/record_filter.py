"""CQL2 over catalogue records: the pygeofilter tree `params.parse_filter` gives, compiled into a
Python predicate over the in-memory records (the catalogue is searched in memory, see records.py).

Only the record properties listed in FIELDS can be named (they are also the catalogue's
queryables), literals are coerced to the property's type up front, so a mismatch is a 400 and
never an exception while matching, and CASEI/ACCENTI fold Turkish letters the way the feature
filters do in SQL (`geo.text`). Node types map to handlers in one table, like `cql.Translator`;
nothing is ever passed to `eval`."""

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import shapely.geometry
import shapely.ops
from pygeofilter import ast, values
from pygeofilter.util import like_pattern_to_re_pattern

from geo.text import strip_marks, turkish_lower

from . import crs as ogc_crs
from .cql import MAX_IN_ITEMS, invalid

Record = dict[str, Any]
Getter = Callable[[Record], Any]
Predicate = Callable[[Record], bool]


def _prop(name: str) -> Getter:
    return lambda r: r["properties"].get(name)


def _time(name: str) -> Getter:
    def get(r: Record) -> datetime | None:
        text = r["properties"].get(name)
        return datetime.fromisoformat(text) if text else None
    return get


def _theme_ids(r: Record) -> list[str]:
    return [c["id"] for t in r["properties"].get("themes") or [] for c in t.get("concepts", [])]


def _extent(r: Record) -> Any:
    box = r.get("_bbox")
    return shapely.geometry.box(*box) if box else None


# name -> (kind, getter, JSON Schema for the queryables)
FIELDS: dict[str, tuple[str, Getter, dict[str, Any]]] = {
    "id": ("string", lambda r: r["id"], {"type": "string"}),
    "title": ("string", _prop("title"), {"type": "string"}),
    "title_en": ("string", _prop("title_en"), {"type": "string"}),
    "description": ("string", _prop("description"), {"type": "string"}),
    "keywords": ("array", _prop("keywords"), {"type": "array", "items": {"type": "string"}}),
    "themes": ("array", _theme_ids, {"type": "array", "items": {"type": "string"}}),
    "theme": ("string", _prop("theme"), {"type": "string"}),
    "type": ("string", _prop("type"), {"type": "string"}),
    "license": ("string", _prop("license"), {"type": "string"}),
    "access": ("string", _prop("access"), {"type": "string"}),
    "created": ("datetime", _time("created"), {"type": "string", "format": "date-time"}),
    "updated": ("datetime", _time("updated"), {"type": "string", "format": "date-time"}),
}
GEOMETRY_NAMES = {"geometry", "geom"}
COMPARE = {ast.Equal: operator.eq, ast.NotEqual: operator.ne, ast.LessThan: operator.lt,
           ast.LessEqual: operator.le, ast.GreaterThan: operator.gt, ast.GreaterEqual: operator.ge}
SPATIAL = {ast.GeometryIntersects: "intersects", ast.GeometryDisjoint: "disjoint", ast.GeometryContains: "contains",
           ast.GeometryWithin: "within", ast.GeometryTouches: "touches", ast.GeometryCrosses: "crosses",
           ast.GeometryOverlaps: "overlaps", ast.GeometryEquals: "equals"}
ARRAYS: dict[type, Callable[[set[Any], set[Any]], bool]] = {
    ast.ArrayEquals: operator.eq, ast.ArrayContains: operator.ge, ast.ArrayContainedBy: operator.le,
    ast.ArrayOverlaps: lambda a, b: bool(a & b)}


def _accenti(text: str) -> str:
    """Accent-insensitive form: combining marks dropped (ç→c, ş→s, İ→I) and dotless ı read as i."""
    return strip_marks(text).replace("ı", "i")


TEXT_FUNCTIONS: dict[str, Callable[[str], str]] = {"casei": turkish_lower, "lower": turkish_lower,
                                                    "accenti": _accenti}


@dataclass
class Value:
    """A compiled operand: how to read it from a record, its kind, and its value if a literal."""

    get: Getter
    kind: str
    literal: bool = False
    value: Any = None


def _literal(value: Any) -> Value:
    if isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, (int, float)):
        kind = "number"
    elif isinstance(value, datetime):
        kind = "datetime"
    elif isinstance(value, date):
        kind = "date"
    elif value is None:
        kind = "null"
    elif isinstance(value, str):
        kind = "string"
    else:
        raise invalid(f"desteklenmeyen değer {type(value).__name__}")
    return Value(lambda r: value, kind, literal=True, value=value)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as e:
            raise invalid(f"'{value[:40]}' bir tarih değil") from e
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise invalid(f"{value!r} bir tarih değil")


def _null_safe(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """SQL's rule: a comparison with a missing value is not true."""
    return lambda a, b: a is not None and b is not None and op(a, b)


class RecordFilter:
    """One filter over the catalogue; `filter_crs` is the CRS of geometry literals."""

    def __init__(self, filter_crs: ogc_crs.OgcCrs = ogc_crs.CRS84_CRS) -> None:
        if filter_crs.srid != 4326:
            raise invalid("katalog süzgeci geometrileri yalnızca CRS84 ya da EPSG:4326 ile alır")
        self.filter_crs = filter_crs
        self.handlers: dict[type, Callable[[Any], Predicate]] = {
            ast.And: self._and, ast.Or: self._or, ast.Not: self._not, ast.Include: self._include,
            ast.Between: self._between, ast.Like: self._like, ast.In: self._in, ast.IsNull: self._is_null,
            ast.BBox: self._bbox, ast.TimeAfter: self._temporal, ast.TimeBefore: self._temporal,
            ast.TimeEquals: self._temporal, ast.TimeDuring: self._temporal, ast.TimeOverlaps: self._temporal,
            **dict.fromkeys(COMPARE, self._compare), **dict.fromkeys(SPATIAL, self._spatial),
            **dict.fromkeys(ARRAYS, self._array),
        }

    def compile(self, node: Any) -> Predicate:
        handler = self.handlers.get(type(node))
        if handler is not None:
            return handler(node)
        if isinstance(node, bool):
            return lambda r: node
        raise invalid(f"katalogda desteklenmeyen koşul {type(node).__name__}")

    # -- operands -----------------------------------------------------------------------------------

    def value(self, node: Any) -> Value:
        if isinstance(node, ast.Attribute):
            if node.name in GEOMETRY_NAMES:
                return Value(_extent, "geometry")
            entry = FIELDS.get(node.name)
            if entry is None:
                raise invalid(f"bilinmeyen öznitelik '{node.name}'; kullanılabilenler: {', '.join(FIELDS)}")
            return Value(entry[1], entry[0])
        if isinstance(node, ast.Function):
            fold = TEXT_FUNCTIONS.get(node.name.lower())
            if fold is None or len(node.arguments) != 1:
                raise invalid(f"desteklenmeyen fonksiyon '{node.name}'")
            arg = self._typed(self.value(node.arguments[0]), "string")
            if arg.literal:
                folded = fold(arg.value)
                return Value(lambda r: folded, "string", literal=True, value=folded)
            get = arg.get
            return Value(lambda r: None if (v := get(r)) is None else fold(v), "string")
        if isinstance(node, (values.Geometry, values.Envelope)):
            shape = self._shape(node.geometry)
            return Value(lambda r: shape, "geometry", literal=True, value=shape)
        if isinstance(node, (list, tuple)):
            items = [self.value(v) for v in node]
            if not all(i.literal for i in items):
                raise invalid("dizi yalnızca değerlerden oluşmalı")
            array = [i.value for i in items]
            return Value(lambda r: array, "array", literal=True, value=array)
        return _literal(node)

    def _typed(self, v: Value, kind: str) -> Value:
        """`v` made comparable with a value of `kind` (literals coerced once, here)."""
        if not v.literal:
            if v.kind != kind:
                raise invalid(f"{v.kind} ve {kind} türleri karşılaştırılamaz")
            return v
        if v.value is None or v.kind == kind:
            return v
        if kind == "datetime" and v.kind in {"string", "date"}:
            coerced = _as_datetime(v.value)
            return Value(lambda r: coerced, kind, literal=True, value=coerced)
        raise invalid(f"{v.value!r} değeri {kind} türündeki öznitelikle karşılaştırılamaz")

    def _pair(self, lhs: Any, rhs: Any) -> tuple[Value, Value]:
        a, b = self.value(lhs), self.value(rhs)
        if {a.kind, b.kind} & {"geometry", "array"}:
            raise invalid("bu öğeler karşılaştırılamaz (diziler için = ya da A_CONTAINS, geometriler için "
                          "S_INTERSECTS)")
        if not a.literal:
            return a, self._typed(b, a.kind)
        return self._typed(a, b.kind), b

    def _shape(self, geometry: dict[str, Any]) -> Any:
        try:
            shape = shapely.geometry.shape({k: v for k, v in geometry.items() if k != "crs"})
        except Exception as e:  # shapely raises several types for malformed GeoJSON
            raise invalid("geometri okunamadı") from e
        if self.filter_crs.flip:
            shape = shapely.ops.transform(lambda x, y, z=None: (y, x), shape)
        return shape

    # -- conditions ---------------------------------------------------------------------------------

    def _and(self, node: ast.And) -> Predicate:
        a, b = self.compile(node.lhs), self.compile(node.rhs)
        return lambda r: a(r) and b(r)

    def _or(self, node: ast.Or) -> Predicate:
        a, b = self.compile(node.lhs), self.compile(node.rhs)
        return lambda r: a(r) or b(r)

    def _not(self, node: ast.Not) -> Predicate:
        inner = self.compile(node.sub_node)
        return lambda r: not inner(r)

    def _include(self, node: ast.Include) -> Predicate:
        return lambda r: not node.not_

    def _compare(self, node: ast.Comparison) -> Predicate:
        a = self.value(node.lhs)
        if a.kind == "array" and not a.literal and isinstance(node, (ast.Equal, ast.NotEqual)):
            b = self._typed(self.value(node.rhs), "string")
            if not b.literal:
                raise invalid("dizi özniteliği bir değerle karşılaştırılır, ör. keywords = 'bina'")
            item = b.value  # keywords = 'bina': one of its items is 'bina'
            return lambda r: (item in (a.get(r) or [])) == isinstance(node, ast.Equal)
        a, b = self._pair(node.lhs, node.rhs)
        op = _null_safe(COMPARE[type(node)])
        return lambda r: op(a.get(r), b.get(r))

    def _between(self, node: ast.Between) -> Predicate:
        a = self.value(node.lhs)
        if a.literal or a.kind != "datetime":
            raise invalid("BETWEEN katalogda bir tarih özniteliği ister (created, updated)")
        low, high = (self._typed(self.value(v), a.kind).value for v in (node.low, node.high))
        if low is None or high is None:
            raise invalid("BETWEEN iki tarih ister")
        return lambda r: (v := a.get(r)) is not None and (low <= v <= high) != node.not_

    def _like(self, node: ast.Like) -> Predicate:
        a = self.value(node.lhs)
        if not isinstance(node.pattern, str):
            raise invalid("LIKE deseni metin olmalı")
        pattern = turkish_lower(node.pattern) if node.nocase else node.pattern
        # SQL's LIKE, as the feature filters read it: % any run, _ one character, \\ escapes
        regex = re.compile(like_pattern_to_re_pattern(pattern, "%", "_", "\\"), re.DOTALL)

        def matches(text: str) -> bool:
            return regex.fullmatch(turkish_lower(text) if node.nocase else text) is not None

        if a.kind == "array" and not a.literal:  # keywords LIKE 'bin%': one of them does
            return lambda r: any(matches(str(v)) for v in a.get(r) or []) != node.not_
        a = self._typed(a, "string")
        return lambda r: (v := a.get(r)) is not None and matches(v) != node.not_

    def _in(self, node: ast.In) -> Predicate:
        a = self.value(node.lhs)
        if a.literal or a.kind == "geometry":
            raise invalid("IN bir öznitelik ister")
        if not node.sub_nodes or len(node.sub_nodes) > MAX_IN_ITEMS:
            raise invalid(f"IN listesi 1 ile {MAX_IN_ITEMS} öğe arasında olmalı")
        kind = "string" if a.kind == "array" else a.kind
        options = [self._typed(self.value(v), kind).value for v in node.sub_nodes]
        if a.kind == "array":  # keywords IN ('afet', 'bina'): one of its items is
            return lambda r: any(v in options for v in a.get(r) or []) != node.not_
        return lambda r: (v := a.get(r)) is not None and (v in options) != node.not_

    def _is_null(self, node: ast.IsNull) -> Predicate:
        a = self.value(node.lhs)
        return lambda r: (a.get(r) in (None, "", [])) != node.not_

    def _array(self, node: ast.ArrayPredicate) -> Predicate:
        a, b = self.value(node.lhs), self.value(node.rhs)
        if a.kind != "array" or b.kind != "array":
            raise invalid("dizi koşulu iki dizi ister, ör. A_CONTAINS(keywords, ('bina'))")
        op = ARRAYS[type(node)]
        return lambda r: op(set(a.get(r) or []), set(b.get(r) or []))

    # -- spatial and temporal -----------------------------------------------------------------------

    def _geometries(self, lhs: Any, rhs: Any) -> tuple[Value, Value]:
        a, b = self.value(lhs), self.value(rhs)
        if a.kind != "geometry" or b.kind != "geometry":
            raise invalid("uzamsal koşul iki geometri ister")
        return a, b

    def _spatial(self, node: ast.SpatialComparisonPredicate) -> Predicate:
        a, b = self._geometries(node.lhs, node.rhs)
        method = SPATIAL[type(node)]
        return lambda r: (x := a.get(r)) is not None and (y := b.get(r)) is not None and getattr(x, method)(y)

    def _bbox(self, node: ast.BBox) -> Predicate:
        a = self.value(node.lhs)
        if a.kind != "geometry":
            raise invalid("BBOX bir geometri ister")
        if node.crs and ogc_crs.parse(node.crs, "filter-crs").srid != 4326:
            raise invalid("katalog süzgeci geometrileri yalnızca CRS84 ya da EPSG:4326 ile alır")
        box = self._shape(values.Envelope(node.minx, node.maxx, node.miny, node.maxy).geometry)
        return lambda r: (x := a.get(r)) is not None and x.intersects(box)

    def _temporal(self, node: ast.TemporalPredicate) -> Predicate:
        a = self.value(node.lhs)
        if a.literal or a.kind != "datetime":
            raise invalid("zaman koşulu bir tarih özniteliği ister (created, updated)")
        rhs = node.rhs
        if isinstance(rhs, values.Interval):
            start, end = rhs.start, rhs.end
        elif isinstance(rhs, (list, tuple)):
            if len(rhs) != 2:
                raise invalid("zaman aralığı iki uç ister")
            start, end = rhs
        else:
            start = end = rhs
        low, high = (None if v in (None, "..") else _as_datetime(v) for v in (start, end))
        if isinstance(node, ast.TimeAfter):
            checks = [(operator.gt, high)]
        elif isinstance(node, ast.TimeBefore):
            checks = [(operator.lt, low)]
        elif isinstance(node, ast.TimeEquals) and start is end:
            checks = [(operator.eq, low)]
        else:  # during / overlaps / equals an interval: inside its closed range
            checks = [(operator.ge, low), (operator.le, high)]
        bounds = [(op, bound) for op, bound in checks if bound is not None]
        return lambda r: (v := a.get(r)) is not None and all(op(v, bound) for op, bound in bounds)


def compile_record_filter(tree: Any, filter_crs: ogc_crs.OgcCrs = ogc_crs.CRS84_CRS) -> Predicate:
    return RecordFilter(filter_crs).compile(tree)
