"""GetFeature: WFS parameters as the `FeatureQuery` OGC API Features runs (ogc/query.py), and its
page written as GML 3.2 or GeoJSON. No SQL is written here: rows, properties, bbox, sorting and
paging are query.py's, a filter is the CQL translator's (through filters.py)."""

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse

from geo.errors import KentError
from geo.sources.sql import Source

from .. import conf
from .. import crs as ogc_crs
from ..params import parse_bbox, parse_int, parse_names
from ..query import FeatureQuery, Page
from . import crs as wfs_crs
from . import filters, gml
from .describe import GEOMETRY, element_names
from .ows import GML, GML_TYPE, KENT, PREFIX, WFS, XSI, MissingParameter, NotSupported, Params, local_name

GEOJSON_FORMATS = {"application/json", "json", "geojson", "application/geo+json", "application/vnd.geo+json"}
GML_FORMATS = {"application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2", "text/xml; subtype=gml/3.2.1",
               "gml32", "application/gml+xml", "text/xml"}
GET_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById"
SORT_WORDS = {"ASC": True, "A": True, "DESC": False, "D": False}


def bad(parameter: str, tr: str, en: str) -> KentError:
    return KentError(f"{tr} ({en})", parameter=parameter)


@dataclass
class Request:
    """One GetFeature, already checked (except what needs the layer: see `query`)."""

    type_name: str
    count: int
    start: int = 0
    hits: bool = False
    geojson: bool = False
    srs: ogc_crs.OgcCrs = field(default_factory=lambda: wfs_crs.parse(None, "srsName"))
    bbox: str | None = None
    filter: Any = None  # FES text or element
    resource_ids: list[str] | None = None
    sort: str | None = None
    properties: str | None = None


def type_names(text: str) -> list[str]:
    """'kent:a,kent:b' or '(kent:a)(kent:b)' as ['a', 'b']."""
    return [local_name(n) for n in text.replace(")(", ",").strip("()").split(",") if n.strip()]


def _output(params: Params) -> bool:
    fmt = (params.get("outputFormat") or "").strip().lower()
    if not fmt or fmt in GML_FORMATS:
        return False
    if fmt in GEOJSON_FORMATS:
        return True
    raise bad("outputFormat", f"Desteklenmeyen outputFormat: {fmt[:60]}; GML 3.2 ya da application/json.",
              "Unsupported outputFormat.")


def from_kvp(params: Params) -> Request:
    ids = None
    if params.get("storedQuery_id"):
        if params.get("storedQuery_id") != GET_BY_ID:
            raise NotSupported("Yalnızca GetFeatureById kayıtlı sorgusu desteklenir. "
                               "(Only the GetFeatureById stored query is supported.)", parameter="storedQuery_id")
        ids = [params.required("id")]
    elif params.get("resourceId"):
        ids = [r.strip() for r in (params.get("resourceId") or "").strip("()").split(",") if r.strip()]
    names = type_names(params.get("typeNames") or params.get("typeName") or "")
    if not names and ids:
        names = [ids[0].rsplit(".", 1)[0]]
    if not names:
        raise MissingParameter("'typeNames' parametresi gerekli. (Missing parameter 'typeNames'.)",
                               parameter="typeNames")
    if len(names) > 1:
        raise NotSupported("Bir GetFeature tek bir detay türü okur; türleri ayrı isteyin. "
                           "(One feature type per GetFeature.)", parameter="typeNames")
    count = conf.max_items()
    asked = params.get("count") or params.get("maxFeatures")
    if asked:
        count = min(parse_int("count", asked, 1), conf.max_items())
    result_type = (params.get("resultType") or "results").lower()
    if result_type not in {"results", "hits"}:
        raise bad("resultType", "resultType results ya da hits olmalı.", "resultType is results or hits.")
    if params.get("filter") and params.get("bbox"):
        raise bad("bbox", "bbox ile filter birlikte kullanılamaz; BBOX'u filtreye koyun.",
                  "bbox and filter are mutually exclusive.")
    return Request(type_name=names[0], count=count, start=parse_int("startIndex", params.get("startIndex") or "0", 0),
                   hits=result_type == "hits", geojson=_output(params),
                   srs=wfs_crs.parse(params.get("srsName"), "srsName"), bbox=params.get("bbox"),
                   filter=params.get("filter"), resource_ids=ids, sort=params.get("sortBy"),
                   properties=params.get("propertyName"))


def _sort(text: str, source: Source) -> list[tuple[str, bool]]:
    keys = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, _, word = part.partition(" ")
        word = word.strip().upper() or "ASC"
        if word not in SORT_WORDS:
            raise bad("sortBy", f"sortBy yönü ASC ya da DESC olmalı: '{part[:40]}'.", "Sort order is ASC or DESC.")
        keys.append((local_name(name), SORT_WORDS[word]))
    parse_names("sortBy", ",".join(n for n, _ in keys), source, sortable=True)
    return keys


def _bbox(text: str) -> tuple[ogc_crs.OgcCrs, tuple[float, float, float, float]]:
    """'minx,miny,maxx,maxy[,crs]' (or six numbers with heights) in the CRS's axis order; without a
    CRS, the default one (latitude first)."""
    parts = text.split(",")
    numbers, crs_text = (parts[:-1], parts[-1]) if len(parts) in (5, 7) else (parts, None)
    crs = wfs_crs.parse(crs_text, "bbox")
    return crs, parse_bbox(",".join(numbers), crs)


def _ids(values: list[str], slug: str) -> list[int]:
    out = []
    for rid in values:
        prefix, _, number = rid.rpartition(".")
        if local_name(prefix) == slug and number.lstrip("-").isdigit() and -(2**63) <= int(number) < 2**63:
            out.append(int(number))
    return out


def query(req: Request, source: Source) -> FeatureQuery:
    """The FeatureQuery for `req` on this layer's source (names checked against its published fields)."""
    names = element_names(source)
    q = FeatureQuery(source=source, limit=req.count, offset=req.start, hits=req.hits, select=names,
                     out_crs=replace(req.srs, flip=False) if req.geojson else req.srs)
    if req.bbox:
        q.bbox_crs, q.bbox = _bbox(req.bbox)
    if req.filter:
        parsed = filters.translate(req.filter, source)
        q.filter_sql = parsed.sql
        if parsed.ids is not None:
            q.ids = _ids(parsed.ids, req.type_name)
    if req.resource_ids is not None:
        q.ids = _ids(req.resource_ids, req.type_name)
    if req.sort:
        q.sortby = _sort(req.sort, source)
    if req.properties:
        wanted = [local_name(n) for n in type_names(req.properties)]
        wanted = [n for n in wanted if n != GEOMETRY]
        parse_names("propertyName", ",".join(wanted), source)
        q.select = [n for n in names if n in wanted]
    return q


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_url(url: str, params: dict[str, str], q: FeatureQuery, page: Page) -> str | None:
    more = page.returned == q.limit and (page.matched is None or page.matched > q.offset + q.limit)
    if q.hits or not more:
        return None
    rest = {k: v for k, v in params.items() if k.lower() != "startindex"}
    return f"{url}?{urlencode({**rest, 'startIndex': str(q.offset + q.limit)})}"


def as_gml(page: Page, q: FeatureQuery, slug: str, family: str | None, schema_url: str,
           next_page: str | None) -> HttpResponse:
    features = json.loads("[" + page.features_json + "]")
    srs = wfs_crs.srs_name(q.out_crs)
    names = q.select or []
    members = "".join(gml.member(f, slug, names, family, srs) for f in features)
    matched = "unknown" if page.matched is None else str(page.matched)
    following = f" next={quoteattr(next_page)}" if next_page else ""
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection xmlns:wfs="{WFS}" '
            f'xmlns:gml="{GML}" xmlns:xsi="{XSI}" xmlns:{PREFIX}="{KENT}" timeStamp="{_timestamp()}" '
            f'numberMatched="{matched}" numberReturned="{0 if q.hits else page.returned}"{following} '
            f'xsi:schemaLocation="{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd {KENT} {escape(schema_url)}">'
            f"{members}</wfs:FeatureCollection>")
    return HttpResponse(body.encode("utf-8"), content_type=GML_TYPE)


def as_geojson(page: Page, q: FeatureQuery) -> HttpResponse:
    head: dict[str, Any] = {"type": "FeatureCollection", "timeStamp": _timestamp(),
                            "numberReturned": 0 if q.hits else page.returned}
    if page.matched is not None:
        head["numberMatched"] = page.matched
    if q.out_crs.srid != ogc_crs.STORAGE_SRID:
        head["crs"] = {"type": "name", "properties": {"name": wfs_crs.URN.format(q.out_crs.srid)}}
    body = json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[' + page.features_json + "]}"
    return HttpResponse(body.encode("utf-8"), content_type="application/geo+json")
