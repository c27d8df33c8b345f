"""Mapbox Vector Tiles of registry layers: one ST_AsMVT query per tile.

The query keeps PostGIS on its fast path: integer SRIDs only (a text SRID makes PostGIS 3.3 build
a PROJ transformation per row), the tile envelope transformed once to the storage SRID so the
GiST index does the bbox filter, and each row transformed to 3857 once (ST_AsMVT skips the
rows ST_AsMVTGeom clips away; filtering them in SQL would compute ST_AsMVTGeom twice). Below
zoom 14 polygons and lines are simplified to one tile unit, and those whose bbox is under
DROP_UNITS units both ways are left out: half a pixel of a 512 px display, a speck at best.

From zoom 14 on (one query text per layer) the query runs as a server-side prepared statement of
the connection: no planning per tile, and PostgreSQL keeps its generic plan, a GiST index scan,
where a custom plan may start a parallel worker that costs more than it brings (the benchmark's
big z14 tile: 25 -> 9 ms; bench/README.md). Below zoom 14 each tile is planned for its envelope:
a tile covering a table's crowded part is better read through the layer index, which only the
envelope's real size tells the planner (the generic plan cost 11-13 % there).

`render_mvt(layer, z, x, y)` is the entry point for every outlet (/tiles and OGC API Tiles)."""

import re

from django.conf import settings
from django.db import connection

from geo.models import GeometryFamily, Layer

from .grid import check_tile
from .sources import source_of

EXTENT = 4096  # tile units
BUFFER = 64  # tile units around the tile, so lines and polygons join without seams
SIMPLIFY_BELOW_ZOOM = 14
DROP_UNITS = 4
MAX_PREPARED = 200  # statements per connection before this module drops its own and starts again
PREPARED_ATTR = "_kent_mvt_prepared"  # on Django's connection: (its DB-API connection, {query text: name})
# A quoted literal (kept as it is), a placeholder or an escaped percent sign
_SQL_TOKENS = re.compile(r"'(?:[^']|'')*'|%s|%%")


def _unit_degrees(z: int) -> float:
    """Width of one tile unit at zoom z, in degrees of longitude (exact in Web Mercator)."""
    return 360.0 / ((1 << z) * EXTENT)


def tile_sql(layer: Layer, z: int, x: int, y: int) -> tuple[str, list]:
    """The ST_AsMVT query of one tile and its parameters; the MVT layer is named after the slug."""
    check_tile(z, x, y)
    src = source_of(layer)
    srid = int(settings.STORAGE_SRID)
    geom = src.geom_sql
    where = [src.scope_sql, f"{src.geom_sql} && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), {srid})"]
    params: list = [z, x, y, BUFFER / EXTENT]
    if z < SIMPLIFY_BELOW_ZOOM and layer.geometry_family != GeometryFamily.POINT:
        unit = _unit_degrees(z)
        size = DROP_UNITS * unit
        geom = f"ST_Simplify({src.geom_sql}, {unit!r}, true)"
        where.append(f"(ST_XMax({src.geom_sql}) - ST_XMin({src.geom_sql}) > {size!r} "
                     f"OR ST_YMax({src.geom_sql}) - ST_YMin({src.geom_sql}) > {size!r})")
    attrs = src.attribute_sql()
    sql = (
        "SELECT ST_AsMVT(q, %s, {extent}, 'mvtgeom', 'id') FROM ("
        " SELECT {pk} AS id, {attrs}"
        " ST_AsMVTGeom(ST_Transform({geom}, 3857), ST_TileEnvelope(%s, %s, %s), {extent}, {buffer}, true) AS mvtgeom"
        " FROM {table} WHERE {where}"
        ") q"
    ).format(extent=EXTENT, buffer=BUFFER, pk=src.id_sql, attrs=f"{attrs}, " if attrs else "", geom=geom,
             table=f"{src.table} t", where=" AND ".join(where))
    return sql, [layer.slug, z, x, y, *params]


def _numbered(sql: str) -> str:
    """A DB-API query text (%s placeholders, %% for a percent sign) in PREPARE's form ($1, $2, ...)."""
    n = 0

    def token(m: re.Match) -> str:
        nonlocal n
        if m.group() == "%s":
            n += 1
            return f"${n}"
        return "%" if m.group() == "%%" else m.group()

    return _SQL_TOKENS.sub(token, sql)


def _prepared(cur, sql: str) -> str:  # noqa: ANN001 - Django's CursorWrapper
    """The name of `sql` prepared on this connection, preparing it on first use. Prepared
    statements live as long as the database session (a rollback keeps them), so they are
    remembered per DB-API connection: a reconnect starts afresh."""
    state = getattr(connection, PREPARED_ATTR, None)
    if state is None or state[0] is not connection.connection:
        state = (connection.connection, {})
        setattr(connection, PREPARED_ATTR, state)
    names: dict[str, str] = state[1]
    name = names.get(sql)
    if name is None:
        if len(names) >= MAX_PREPARED:
            cur.execute("; ".join(f"DEALLOCATE {n}" for n in names.values()))
            names.clear()
        name = f"kent_mvt_{len(names) + 1}"
        cur.execute(f"PREPARE {name} AS {_numbered(sql)}")
        names[sql] = name
    return name


def render_mvt(layer: Layer, z: int, x: int, y: int) -> bytes | None:
    """The tile's bytes, or None when no feature touches it (served as 204 No Content).
    Checks the tile address (400) but not who may read the layer: callers do that."""
    sql, params = tile_sql(layer, z, x, y)
    with connection.cursor() as cur:
        if z >= SIMPLIFY_BELOW_ZOOM:
            sql = f"EXECUTE {_prepared(cur, sql)} ({', '.join(['%s'] * len(params))})"
        cur.execute(sql, params)
        row = cur.fetchone()
    data = bytes(row[0]) if row and row[0] is not None else b""
    return data or None
