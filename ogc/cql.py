"""CQL2 (text or JSON, parsed by pygeofilter) to a parameterised SQL condition.

Every attribute is looked up in the layer's published fields (an unknown name is a 400, so no
hidden or personal column can be reached through a filter), every literal travels as a query
parameter, and literals are coerced to the attribute's type in Python first, so a type mismatch is
a clear 400 rather than a PostgreSQL error. Node types map to handlers in one table."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import shapely.geometry
from pygeofilter import ast, values

from geo.errors import KentError
from geo.sources.sql import Source
from geo.text import SQL_TURKISH_I

from . import crs as ogc_crs

MAX_IN_ITEMS = 1000
GEOMETRY_NAMES = {"geometry", "geom"}
COMPARE = {ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=", ast.GreaterThan: ">",
           ast.GreaterEqual: ">="}
SPATIAL = {ast.GeometryIntersects: "ST_Intersects", ast.GeometryDisjoint: "ST_Disjoint",
           ast.GeometryContains: "ST_Contains", ast.GeometryWithin: "ST_Within", ast.GeometryTouches: "ST_Touches",
           ast.GeometryCrosses: "ST_Crosses", ast.GeometryOverlaps: "ST_Overlaps", ast.GeometryEquals: "ST_Equals"}
ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mul: "*", ast.Div: "/"}
DISTANCE_UNITS = {"m": 1.0, "meter": 1.0, "meters": 1.0, "metre": 1.0, "metres": 1.0, "km": 1000.0,
                  "kilometer": 1000.0, "kilometers": 1000.0, "kilometre": 1000.0, "kilometres": 1000.0}
# CASEI folds I/ı and İ/i the Turkish way before lower() (PostgreSQL's lower() maps I to i), the
# SQL twin of geo.text.turkish_lower; ACCENTI drops accents through the unaccent extension. Both
# apply to each side they wrap, so CASEI(ad) = CASEI('IŞIK') matches 'Işık'.
CASEI_SQL = f"lower(translate({{}}, '{SQL_TURKISH_I[0]}', '{SQL_TURKISH_I[1]}'))"
TEXT_FUNCTIONS = {"casei": CASEI_SQL, "lower": CASEI_SQL, "accenti": "unaccent({})"}
SQL_TYPES = {"number": "numeric", "string": "text", "boolean": "boolean", "datetime": "timestamptz",
             "date": "date"}


def invalid(message: str) -> KentError:
    return KentError(f"Geçersiz CQL2 filtresi: {message}. (Invalid CQL2 filter.)", parameter="filter")


@dataclass
class Expr:
    """A translated value: SQL with its parameters and the kind the comparison rules use.
    Literals keep their Python value until they meet something they must be coerced to."""

    sql: str
    params: list[Any] = field(default_factory=list)
    kind: str = "any"
    literal: bool = False
    value: Any = None


def _literal_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if value is None:
        return "null"
    return "string"


def _coerce(value: Any, kind: str) -> Any:
    """A literal as a value of `kind`, or a 400 saying why not."""
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind in {"datetime", "date"}:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
            except ValueError as e:
                raise invalid(f"'{value}' bir tarih değil") from e
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, date):
            return value if kind == "date" else datetime.combine(value, time.min, UTC)
    raise invalid(f"{value!r} değeri {kind} türündeki öznitelikle karşılaştırılamaz")


class Translator:
    """One filter of one layer. `filter_crs` is the CRS of geometry literals without their own."""

    def __init__(self, source: Source, filter_crs: ogc_crs.OgcCrs = ogc_crs.CRS84_CRS) -> None:
        self.source = source
        self.filter_crs = filter_crs
        self.handlers: dict[type, Callable[[Any], Expr]] = {
            ast.And: self._combination, ast.Or: self._combination, ast.Not: self._not,
            ast.Between: self._between, ast.Like: self._like, ast.In: self._in, ast.IsNull: self._is_null,
            ast.Include: self._include, ast.BBox: self._bbox, ast.Relate: self._relate,
            ast.DistanceWithin: self._distance, ast.DistanceBeyond: self._distance,
            ast.Attribute: self._attribute, ast.Function: self._function,
            values.Geometry: self._geometry, values.Envelope: self._envelope,
            ast.TimeAfter: self._temporal, ast.TimeBefore: self._temporal, ast.TimeEquals: self._temporal,
            ast.TimeDuring: self._temporal, ast.TimeOverlaps: self._temporal,
            **dict.fromkeys(COMPARE, self._compare), **dict.fromkeys(SPATIAL, self._spatial),
            **dict.fromkeys(ARITHMETIC, self._arithmetic),
        }

    def where(self, node: Any) -> tuple[str, list[Any]]:
        expr = self.expr(node)
        if expr.kind == "boolean" and not expr.literal:
            return f"({expr.sql}) IS TRUE", expr.params
        if expr.kind != "condition" and not (expr.literal and expr.kind == "boolean"):
            raise invalid("filtre bir koşul olmalı (ör. ad = 'x')")
        return expr.sql, expr.params

    def expr(self, node: Any) -> Expr:
        handler = self.handlers.get(type(node))
        if handler is not None:
            return handler(node)
        if isinstance(node, (str, int, float, bool, datetime, date)) or node is None:
            return Expr("%s", [node], _literal_kind(node), literal=True, value=node)
        raise invalid(f"desteklenmeyen öğe {type(node).__name__}")

    # -- values -------------------------------------------------------------------------------------

    def _attribute(self, node: ast.Attribute) -> Expr:
        if node.name in GEOMETRY_NAMES:
            return Expr(self.source.geom_sql, kind="geometry")
        f = self.source.fields.get(node.name)
        if f is None:
            raise invalid(f"bilinmeyen öznitelik '{node.name}'; kullanılabilenler: "
                          f"{', '.join(sorted(self.source.fields)) or '-'}")
        return Expr(f.sql, kind=f.kind)

    def _typed(self, expr: Expr, kind: str) -> Expr:
        """`expr` made comparable with a value of `kind`."""
        if not expr.literal:
            if expr.kind != kind and "any" not in (expr.kind, kind):
                raise invalid(f"{expr.kind} ve {kind} türleri karşılaştırılamaz")
            return expr
        if expr.value is None:
            return expr
        value = _coerce(expr.value, kind)
        return Expr(f"%s::{SQL_TYPES.get(kind, 'text')}", [value], kind, literal=True, value=value)

    def _pair(self, lhs: Any, rhs: Any) -> tuple[Expr, Expr]:
        a, b = self.expr(lhs), self.expr(rhs)
        if a.kind in {"json", "geometry", "condition"} or b.kind in {"json", "geometry", "condition"}:
            raise invalid("bu öğeler karşılaştırılamaz")
        if not a.literal:
            return a, self._typed(b, a.kind)
        if not b.literal:
            return self._typed(a, b.kind), b
        return self._typed(a, a.kind), self._typed(b, b.kind)

    def _geometry_literal(self, geometry: dict[str, Any]) -> Expr:
        try:
            shapely.geometry.shape(geometry)
        except Exception as e:  # shapely raises several types for malformed GeoJSON
            raise invalid("geometri okunamadı") from e
        name = (geometry.get("crs") or {}).get("properties", {}).get("name")
        crs = ogc_crs.parse(name, "filter-crs") if name else self.filter_crs
        plain = {k: v for k, v in geometry.items() if k != "crs"}
        sql = "ST_GeomFromGeoJSON(%s)"
        if crs.flip:
            sql = f"ST_FlipCoordinates({sql})"
        sql = f"ST_SetSRID({sql}, {crs.srid})"
        if crs.srid != ogc_crs.STORAGE_SRID:
            sql = f"ST_Transform({sql}, {ogc_crs.STORAGE_SRID})"
        return Expr(sql, [json.dumps(plain)], "geometry")

    def _geometry(self, node: values.Geometry) -> Expr:
        return self._geometry_literal(node.geometry)

    def _envelope(self, node: values.Envelope) -> Expr:
        return self._geometry_literal(node.geometry)

    def _function(self, node: ast.Function) -> Expr:
        template = TEXT_FUNCTIONS.get(node.name.lower())
        if template and len(node.arguments) == 1:
            arg = self._typed(self.expr(node.arguments[0]), "string")
            return Expr(template.format(arg.sql), arg.params, "string")
        raise invalid(f"desteklenmeyen fonksiyon '{node.name}'")

    def _arithmetic(self, node: ast.Arithmetic) -> Expr:
        a, b = self._typed(self.expr(node.lhs), "number"), self._typed(self.expr(node.rhs), "number")
        return Expr(f"({a.sql} {ARITHMETIC[type(node)]} {b.sql})", a.params + b.params, "number")

    # -- conditions ---------------------------------------------------------------------------------

    def _condition(self, node: Any) -> Expr:
        sql, params = self.where(node)
        return Expr(f"({sql})", params, "condition")

    def _combination(self, node: ast.Combination) -> Expr:
        a, b = self._condition(node.lhs), self._condition(node.rhs)
        op = "AND" if isinstance(node, ast.And) else "OR"
        return Expr(f"({a.sql} {op} {b.sql})", a.params + b.params, "condition")

    def _not(self, node: ast.Not) -> Expr:
        inner = self._condition(node.sub_node)
        return Expr(f"(NOT {inner.sql})", inner.params, "condition")

    def _include(self, node: ast.Include) -> Expr:
        return Expr("FALSE" if node.not_ else "TRUE", [], "condition")

    def _compare(self, node: ast.Comparison) -> Expr:
        a, b = self._pair(node.lhs, node.rhs)
        return Expr(f"({a.sql} {COMPARE[type(node)]} {b.sql})", a.params + b.params, "condition")

    def _between(self, node: ast.Between) -> Expr:
        a = self.expr(node.lhs)
        if a.literal or a.kind not in {"number", "datetime", "date"}:
            raise invalid("BETWEEN sayısal ya da tarih özniteliği ister")
        low, high = self._typed(self.expr(node.low), a.kind), self._typed(self.expr(node.high), a.kind)
        neg = "NOT " if node.not_ else ""
        return Expr(f"({a.sql} {neg}BETWEEN {low.sql} AND {high.sql})", a.params + low.params + high.params,
                    "condition")

    def _like(self, node: ast.Like) -> Expr:
        a = self._typed(self.expr(node.lhs), "string")
        if not isinstance(node.pattern, str):
            raise invalid("LIKE deseni metin olmalı")
        op = ("NOT " if node.not_ else "") + ("ILIKE" if node.nocase else "LIKE")
        return Expr(f"({a.sql} {op} %s ESCAPE '\\')", a.params + [node.pattern], "condition")

    def _in(self, node: ast.In) -> Expr:
        a = self.expr(node.lhs)
        if a.literal or a.kind in {"geometry", "json", "condition"}:
            raise invalid("IN bir öznitelik ister")
        if not node.sub_nodes or len(node.sub_nodes) > MAX_IN_ITEMS:
            raise invalid(f"IN listesi 1 ile {MAX_IN_ITEMS} öğe arasında olmalı")
        items = [self._typed(self.expr(v), a.kind) for v in node.sub_nodes]
        params = [p for i in items for p in i.params]
        neg = "NOT " if node.not_ else ""
        return Expr(f"({a.sql} {neg}IN ({', '.join(i.sql for i in items)}))", a.params + params, "condition")

    def _is_null(self, node: ast.IsNull) -> Expr:
        a = self.expr(node.lhs)
        return Expr(f"({a.sql} IS {'NOT ' if node.not_ else ''}NULL)", a.params, "condition")

    # -- spatial ------------------------------------------------------------------------------------

    def _geometries(self, lhs: Any, rhs: Any) -> tuple[Expr, Expr]:
        a, b = self.expr(lhs), self.expr(rhs)
        if a.kind != "geometry" or b.kind != "geometry":
            raise invalid("uzamsal koşul iki geometri ister")
        return a, b

    def _spatial(self, node: ast.SpatialComparisonPredicate) -> Expr:
        a, b = self._geometries(node.lhs, node.rhs)
        return Expr(f"{SPATIAL[type(node)]}({a.sql}, {b.sql})", a.params + b.params, "condition")

    def _bbox(self, node: ast.BBox) -> Expr:
        a = self.expr(node.lhs)
        if a.kind != "geometry":
            raise invalid("BBOX bir geometri ister")
        box = values.Envelope(node.minx, node.maxx, node.miny, node.maxy).geometry
        if node.crs:
            box["crs"] = {"properties": {"name": node.crs}}
        b = self._geometry_literal(box)
        return Expr(f"ST_Intersects({a.sql}, {b.sql})", a.params + b.params, "condition")

    def _relate(self, node: ast.Relate) -> Expr:
        a, b = self._geometries(node.lhs, node.rhs)
        if not isinstance(node.pattern, str) or len(node.pattern) != 9 or set(node.pattern) - set("012TF*"):
            raise invalid("RELATE deseni 9 karakterlik bir DE-9IM deseni olmalı")
        return Expr(f"ST_Relate({a.sql}, {b.sql}, %s)", a.params + b.params + [node.pattern], "condition")

    def _distance(self, node: ast.SpatialDistancePredicate) -> Expr:
        a, b = self._geometries(node.lhs, node.rhs)
        factor = DISTANCE_UNITS.get(str(node.units).lower())
        if factor is None:
            raise invalid(f"bilinmeyen uzaklık birimi '{node.units}' (m ya da km)")
        meters = float(node.distance) * factor
        sql = f"ST_DWithin({a.sql}::geography, {b.sql}::geography, %s)"
        if isinstance(node, ast.DistanceBeyond):
            sql = f"NOT {sql}"
        return Expr(f"({sql})", a.params + b.params + [meters], "condition")

    # -- temporal -----------------------------------------------------------------------------------

    def _temporal(self, node: ast.TemporalPredicate) -> Expr:
        a = self.expr(node.lhs)
        if a.literal or a.kind not in {"datetime", "date"}:
            raise invalid("zaman koşulu bir tarih özniteliği ister")
        rhs = node.rhs
        if isinstance(rhs, (values.Interval, list, tuple)):
            start, end = (rhs.start, rhs.end) if isinstance(rhs, values.Interval) else tuple(rhs)
        else:
            start = end = rhs
        bounds = [None if v in (None, "..") else self._typed(Expr("%s", [v], literal=True, value=v), a.kind)
                  for v in (start, end)]
        parts: list[str] = []
        params: list[Any] = []
        if isinstance(node, ast.TimeAfter):
            checks = [(">", bounds[1])]
        elif isinstance(node, ast.TimeBefore):
            checks = [("<", bounds[0])]
        elif isinstance(node, ast.TimeEquals) and start is end:
            checks = [("=", bounds[0])]
        else:  # during / overlaps / intersects an interval: inside its closed range
            checks = [(">=", bounds[0]), ("<=", bounds[1])]
        for op, bound in checks:
            if bound is not None:
                parts.append(f"{a.sql} {op} {bound.sql}")
                params += a.params + bound.params
        return Expr(f"({' AND '.join(parts) or 'TRUE'})", params, "condition")
