"""Query parameters of an items request, checked once and turned into a `FeatureQuery`.

Every refusal is a 400 with a message that names the parameter, in Turkish then English. A limit
above the maximum is clamped, as OGC API Features allows, and the response says so in a header."""

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text

from geo.errors import KentError
from geo.sources.sql import Field, Source

from . import conf
from . import crs as ogc_crs
from .cql import Translator
from .query import FeatureQuery, parse_datetime

RESERVED = {"f", "lang", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "properties", "sortby",
            "skipGeometry", "filter", "filter-lang", "filter-crs", "token", "resulttype", "resultType"}
ITEM_PARAMS = {"f", "lang", "token", "crs"}  # of one feature
FILTER_LANGS = {"cql2-text", "cql2-json"}
MAX_OFFSET = 10_000_000


def bad(parameter: str, tr: str, en: str) -> KentError:
    return KentError(f"{tr} ({en})", parameter=parameter)


@dataclass
class ItemsRequest:
    query: FeatureQuery
    clamped_from: int | None = None  # the limit asked for, when it was clamped
    link_params: list[tuple[str, str]] = field(default_factory=list)


def parse_int(name: str, text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError as e:
        raise bad(name, f"'{name}' bir tam sayı olmalı.", f"'{name}' must be an integer.") from e
    if value < minimum:
        raise bad(name, f"'{name}' en az {minimum} olmalı.", f"'{name}' must be at least {minimum}.")
    return value


def parse_bbox(text: str, crs: ogc_crs.OgcCrs) -> tuple[float, float, float, float]:
    """minx,miny,maxx,maxy (or 6 values with heights) in the CRS's axis order, returned as x/y."""
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise bad("bbox", "bbox 4 sayı olmalı: minx,miny,maxx,maxy.", "bbox takes 4 numbers.")
    try:
        nums = [float(p) for p in parts]
    except ValueError as e:
        raise bad("bbox", "bbox değerleri sayı olmalı.", "bbox values must be numbers.") from e
    if not all(math.isfinite(n) for n in nums):
        raise bad("bbox", "bbox değerleri sonlu sayılar olmalı.", "bbox values must be finite.")
    if len(nums) == 6:
        nums = [nums[0], nums[1], nums[3], nums[4]]
    x1, y1, x2, y2 = ogc_crs.flip_pairs(nums, crs)
    if x1 > x2 or y1 > y2:
        raise bad("bbox", "bbox'ta en küçük değerler en büyüklerden büyük olamaz (minx ≤ maxx, miny ≤ maxy).",
                  "bbox minimum exceeds maximum.")
    return x1, y1, x2, y2


def coerce(f: Field, text: str) -> Any:
    """A query-string value as the attribute's type."""
    if f.type in {"integer", "number"}:
        try:
            number = float(text)
        except ValueError as e:
            raise bad(f.name, f"'{f.name}' sayı ister.", f"'{f.name}' takes a number.") from e
        if not math.isfinite(number):
            raise bad(f.name, f"'{f.name}' sonlu bir sayı ister.", f"'{f.name}' takes a finite number.")
        return int(number) if number.is_integer() else number
    if f.type == "boolean":
        low = text.lower()
        if low not in {"true", "false", "1", "0"}:
            raise bad(f.name, f"'{f.name}' true ya da false ister.", f"'{f.name}' takes true or false.")
        return low in {"true", "1"}
    if f.format in {"date", "date-time"}:
        try:
            return date.fromisoformat(text) if f.format == "date" else datetime.fromisoformat(text)
        except ValueError as e:
            raise bad(f.name, f"'{f.name}' bir tarih ister.", f"'{f.name}' takes a date.") from e
    if f.type == "string":
        return text
    raise bad(f.name, f"'{f.name}' ile süzme yapılamaz.", f"'{f.name}' cannot be filtered on.")


def _bbox_literals_as_polygons(node: Any) -> Any:
    """CQL2 JSON writes a box as {"bbox": [minx, miny, maxx, maxy]}; pygeofilter 0.4 reads those
    four numbers in the order of its Envelope (x1, x2, y1, y2), a different box. Kent hands it the
    same box as a GeoJSON polygon instead."""
    if isinstance(node, list):
        return [_bbox_literals_as_polygons(v) for v in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"bbox"} and isinstance(node["bbox"], list) and len(node["bbox"]) in (4, 6):
        b = node["bbox"]
        x1, y1, x2, y2 = (b[0], b[1], b[2], b[3]) if len(b) == 4 else (b[0], b[1], b[3], b[4])
        return {"type": "Polygon", "coordinates": [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]}
    return {k: _bbox_literals_as_polygons(v) for k, v in node.items()}


def parse_filter(text: str, lang: str | None) -> Any:
    """A CQL2 filter as a pygeofilter tree; long filters are refused before parsing."""
    if len(text) > conf.max_filter_chars():
        raise bad("filter", f"Filtre çok uzun ({len(text)} karakter; en çok {conf.max_filter_chars()}).",
                  "Filter too long.")
    lang = (lang or "cql2-text").lower()
    if lang not in FILTER_LANGS:
        raise bad("filter-lang", "filter-lang cql2-text ya da cql2-json olmalı.", "Unsupported filter-lang.")
    try:
        if lang == "cql2-text":
            return parse_cql2_text(text)
        return parse_cql2_json(_bbox_literals_as_polygons(json.loads(text)))
    except Exception as e:  # lark and pygeofilter raise many types; all mean the same to the client
        first = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
        raise bad("filter", f"CQL2 filtresi çözümlenemedi: {first}.", "Could not parse the CQL2 filter.") from e


def compile_filter(tree: Any, source: Source, filter_crs: ogc_crs.OgcCrs) -> tuple[str, list[Any]]:
    return Translator(source, filter_crs).where(tree)


def parse_names(name: str, text: str, source: Source, sortable: bool = False) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        f = source.fields.get(n.lstrip("+-") if sortable else n)
        if f is None:
            raise bad(name, f"'{n}' bu koleksiyonun bir özniteliği değil; kullanılabilenler: "
                            f"{', '.join(sorted(source.fields)) or '-'}.", f"Unknown property '{n}'.")
        if sortable and not f.sortable:
            raise bad(name, f"'{n}' ile sıralanamaz.", f"Cannot sort by '{n}'.")
    return names


def refuse_unknown(params: Mapping[str, str], allowed: set[str], properties: Collection[str] = ()) -> None:
    """A 400 naming the first parameter that is neither `allowed` nor one of `properties`: a typo
    must not silently widen the answer (OGC API Features /req/core/query-param-unknown)."""
    unknown = [k for k in params if k not in allowed and k not in properties]
    if unknown:
        raise bad(unknown[0], f"Bilinmeyen parametre: '{unknown[0][:80]}'. Öznitelikler: "
                              f"{', '.join(sorted(properties)) or '-'}.", f"Unknown parameter '{unknown[0][:80]}'.")


def filter_text(params: Mapping[str, str], body: bytes | None) -> tuple[str | None, str | None]:
    """The filter and its language: from `filter`, else a CQL2 JSON body sent with POST."""
    if "filter" in params or not body:
        return params.get("filter"), params.get("filter-lang")
    try:
        return body.decode("utf-8"), "cql2-json"
    except UnicodeDecodeError as e:
        raise bad("filter", "İstek gövdesi UTF-8 kodlu bir CQL2 JSON filtresi olmalı.",
                  "The request body must be a UTF-8 encoded CQL2 JSON filter.") from e


def parse_items(params: Mapping[str, str], source: Source, body: bytes | None = None) -> ItemsRequest:
    """The whole items request; `body` is a CQL2 JSON filter sent with POST."""
    refuse_unknown(params, RESERVED, source.fields)
    q = FeatureQuery(source=source)
    req = ItemsRequest(query=q)
    if "limit" in params:
        asked = parse_int("limit", params["limit"], 1)
        q.limit = min(asked, conf.max_items())
        req.clamped_from = asked if asked > q.limit else None
    if "offset" in params:
        q.offset = parse_int("offset", params["offset"], 0)
        if q.offset > MAX_OFFSET:
            raise bad("offset", f"offset en çok {MAX_OFFSET}; daha dar bir sorgu kullanın.", "offset too large.")
    q.out_crs = ogc_crs.parse(params.get("crs"), "crs")
    if "bbox-crs" in params and "bbox" not in params:
        raise bad("bbox-crs", "bbox-crs yalnızca bbox ile kullanılır.", "bbox-crs needs bbox.")
    if "bbox" in params:
        q.bbox_crs = ogc_crs.parse(params.get("bbox-crs"), "bbox-crs")
        q.bbox = parse_bbox(params["bbox"], q.bbox_crs)
    if "datetime" in params:
        if not source.time_field:
            raise bad("datetime", "Bu koleksiyonun zaman özniteliği yok; datetime kullanılamaz.",
                      "This collection has no time property.")
        q.time = parse_datetime(params["datetime"])
    for name, text in params.items():
        if name in source.fields:
            q.equals.append((name, coerce(source.fields[name], text)))
    if "properties" in params:
        q.select = parse_names("properties", params["properties"], source)
    if "sortby" in params:
        q.sortby = [(n.lstrip("+-"), not n.startswith("-"))
                    for n in parse_names("sortby", params["sortby"], source, sortable=True)]
    if "skipGeometry" in params:
        q.skip_geometry = params["skipGeometry"].lower() in {"true", "1"}
    text, lang = filter_text(params, body)
    if text is not None:
        tree = parse_filter(text, lang)
        q.filter_sql = compile_filter(tree, source, ogc_crs.parse(params.get("filter-crs"), "filter-crs"))
    resulttype = params.get("resultType", params.get("resulttype", "results"))
    if resulttype not in {"results", "hits"}:
        raise bad("resultType", "resultType results ya da hits olmalı.", "resultType is results or hits.")
    q.hits = resulttype == "hits"  # only the exact numberMatched (GDAL asks so when a page had none)
    req.link_params = [(k, v) for k, v in params.items() if k not in {"offset", "f"}]
    return req
