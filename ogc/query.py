"""One features request as SQL, with the GeoJSON built inside PostGIS.

A page of 1,000 features comes back from the database as one text value (ST_AsGeoJSON per row,
joined with string_agg), so no feature passes through Python dict by dict. `numberMatched` costs
at most one capped count: it is exact when the page is the last one (offset + returned), counted
with `LIMIT cap+1` when the page is full, and left out when more than `cap` rows match, because an
exact count of a large layer is the slowest part of a page (MapServer's COUNT makes its unfiltered
page of a 200,000-row table 44x the raw query)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import DataError, InternalError, OperationalError, connection, transaction
from psycopg2 import errors as pg_errors

from geo.errors import KentError
from geo.sources.sql import Source

from . import conf
from . import crs as ogc_crs
from .stamp import STAMP_SQL

Interval = tuple[datetime | None, datetime | None]


class QueryTimeout(KentError):
    status = 503
    code = "ServiceUnavailable"


@dataclass
class FeatureQuery:
    """Everything a page of features depends on, already validated."""

    source: Source
    limit: int = conf.DEFAULT_ITEMS
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None  # x/y order, in `bbox_crs`
    bbox_crs: ogc_crs.OgcCrs = ogc_crs.CRS84_CRS
    time: Interval | None = None
    equals: list[tuple[str, Any]] = field(default_factory=list)
    filter_sql: tuple[str, list[Any]] | None = None
    sortby: list[tuple[str, bool]] = field(default_factory=list)  # (field, ascending)
    select: list[str] | None = None
    skip_geometry: bool = False
    out_crs: ogc_crs.OgcCrs = ogc_crs.CRS84_CRS
    hits: bool = False  # resultType=hits: no features, an exact count however large
    ids: list[int] | None = None  # only these feature ids (WFS resourceId)


@dataclass
class Page:
    features_json: str  # the features, comma-joined, without the enclosing brackets
    returned: int
    matched: int | None
    stamp: str  # the registry stamp, read in the same round trip


def _envelope(q: FeatureQuery) -> tuple[str, list[Any]]:
    """The bbox as a storage-CRS geometry; a projected box is densified before it is transformed,
    because its straight edges are curves in lon/lat."""
    x1, y1, x2, y2 = q.bbox  # type: ignore[misc]
    srid = q.bbox_crs.srid
    env = f"ST_MakeEnvelope(%s, %s, %s, %s, {srid})"
    if srid == ogc_crs.STORAGE_SRID:
        return env, [x1, y1, x2, y2]
    step = max(x2 - x1, y2 - y1) / 16
    if step > 0:
        env = f"ST_Segmentize({env}, {step!r})"
    return f"ST_Transform({env}, {ogc_crs.STORAGE_SRID})", [x1, y1, x2, y2]


def where(q: FeatureQuery) -> tuple[str, list[Any]]:
    src = q.source
    parts, params = [src.scope_sql], []
    if q.bbox is not None:
        env, env_params = _envelope(q)
        parts.append(f"ST_Intersects({src.geom_sql}, {env})")
        params += env_params
    if q.time is not None and src.time_field:
        column = src.fields[src.time_field].sql
        start, end = q.time
        if start is not None:
            parts.append(f"{column} >= %s")
            params.append(start)
        if end is not None:
            parts.append(f"{column} <= %s")
            params.append(end)
    for name, value in q.equals:
        f = src.fields[name]
        if value is None:
            parts.append(f"{f.sql} IS NULL")
        else:
            parts.append(f"{f.sql} = %s")
            params.append(value)
    if q.ids is not None:
        parts.append(f"{src.id_sql} = ANY(%s)")
        params.append(q.ids)
    if q.filter_sql is not None:
        parts.append(q.filter_sql[0])
        params += q.filter_sql[1]
    return " AND ".join(parts), params


def _geometry_json(q: FeatureQuery, column: str) -> str:
    if q.skip_geometry:
        return "'null'"
    out = q.out_crs
    geom = column
    if out.srid != ogc_crs.STORAGE_SRID:
        geom = f"ST_Transform({geom}, {out.srid})"
    if out.flip:
        geom = f"ST_FlipCoordinates({geom})"
    return f"coalesce(ST_AsGeoJSON({geom}, {out.decimals}, 0), 'null')"


def _feature_text(q: FeatureQuery, id_sql: str, geom_sql: str, props_sql: str) -> str:
    return (f"""'{{"type":"Feature","id":' || {id_sql} || ',"geometry":' || {_geometry_json(q, geom_sql)}"""
            f""" || ',"properties":' || ({props_sql})::text || '}}'""")


def _order(q: FeatureQuery) -> str:
    keys = [f"{q.source.fields[name].sql} {'ASC' if asc else 'DESC'} NULLS LAST" for name, asc in q.sortby]
    return ", ".join([*keys, q.source.id_sql])


def page_sql(q: FeatureQuery) -> tuple[str, list[Any]]:
    """SQL returning (features text, returned, matched or NULL, registry stamp) for one page."""
    src = q.source
    cond, cond_params = where(q)
    limit = 0 if q.hits else q.limit
    cap = f"LIMIT {conf.count_cap() + 1}" if not q.hits else ""
    sql = f"""
WITH page AS MATERIALIZED (
  SELECT {src.id_sql} AS id, {src.geom_sql} AS geom, {src.properties_json(q.select)} AS props
  FROM {src.table} t WHERE {cond} ORDER BY {_order(q)} LIMIT %s OFFSET %s)
SELECT coalesce(string_agg({_feature_text(q, "page.id", "page.geom", "page.props")}, ','), ''),
       count(*),
       CASE WHEN count(*) < %s AND (%s = 0 OR count(*) > 0) THEN %s + count(*)
            ELSE (SELECT count(*) FROM (SELECT 1 FROM {src.table} t WHERE {cond} {cap}) c) END,
       {STAMP_SQL}
FROM page"""
    params = [*cond_params, limit, q.offset, limit, q.offset, q.offset, *cond_params]
    return sql, params


def item_sql(q: FeatureQuery, identifier: int) -> tuple[str, list[Any]]:
    src = q.source
    text = _feature_text(q, src.id_sql, src.geom_sql, src.properties_json(q.select))
    return (f"SELECT (SELECT {text} FROM {src.table} t WHERE {src.scope_sql} AND {src.id_sql} = %s), {STAMP_SQL}",
            [identifier])


def _run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one OGC query under a statement timeout (SET LOCAL in the same round trip, so it ends
    with the query's own implicit transaction). Bad values in a filter (a division by zero, a
    self-intersecting polygon) become a 400; inside an outer transaction a savepoint keeps it usable."""
    timeout = f"SET LOCAL statement_timeout = {conf.statement_ms()}; "
    try:
        if connection.in_atomic_block:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(timeout + sql, params)
                return cur.fetchall()
        with connection.cursor() as cur:
            cur.execute(timeout + sql, params)
            return cur.fetchall()
    except (DataError, InternalError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise KentError(f"Sorgu çalıştırılamadı: {first}. (The query could not run with these values.)") from e
    except OperationalError as e:
        if isinstance(e.__cause__, pg_errors.QueryCanceled):
            raise QueryTimeout("Sorgu çok uzun sürdü; daha dar bir bbox ya da filtre deneyin. "
                               "(The query took too long.)") from e
        raise


def fetch_page(q: FeatureQuery) -> Page:
    features, returned, matched, stamp = _run(*page_sql(q))[0]
    exact = matched is not None and (q.hits or matched <= conf.count_cap())
    return Page(features, int(returned), int(matched) if exact else None, stamp)


def fetch_item(q: FeatureQuery, identifier: str) -> tuple[str | None, str | None]:
    """One feature's GeoJSON text (or None) and the registry stamp. Kent's ids are integers;
    anything else matches nothing."""
    try:
        number = int(identifier)
    except (TypeError, ValueError):
        return None, None
    if not -(2**63) <= number < 2**63:
        return None, None
    text, stamp = _run(*item_sql(q, number))[0]
    return text, stamp


def parse_datetime(value: str) -> Interval:
    """An RFC 3339 instant or interval ('a/b', '../b', 'a/..'); a date alone covers its whole day."""
    def one(text: str, end: bool) -> datetime | None:
        text = text.strip()
        if text in {"", ".."}:
            return None
        try:
            if len(text) == 10:
                d = date.fromisoformat(text)
                return datetime(d.year, d.month, d.day, 23, 59, 59, 999999) if end else datetime(d.year, d.month,
                                                                                                   d.day)
            return datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError as e:
            raise KentError(f"Geçersiz datetime: '{text[:40]}' (RFC 3339 bekleniyor, ör. 2024-05-01T00:00:00Z "
                            "ya da 2024-01-01/2024-12-31). (Invalid datetime.)", parameter="datetime") from e

    if "/" in value:
        a, b = value.split("/", 1)
        start, end = one(a, False), one(b, True)
        if start is None and end is None:
            raise KentError("datetime aralığının en az bir ucu olmalı. (An interval needs one bound.)",
                            parameter="datetime")
        if start and end and _aware(start) > _aware(end):
            raise KentError("datetime aralığının başı sonundan sonra. (Interval start after its end.)",
                            parameter="datetime")
        return start, end
    start = one(value, False)
    return (start, one(value, True)) if len(value.strip()) == 10 else (start, start)


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=datetime.now().astimezone().tzinfo)
