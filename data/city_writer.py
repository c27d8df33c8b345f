"""Writing a planned city (data/city.py) into the register fast enough for a million buildings.

Python sends only the tile once (the template) and one row per copy, by COPY into temporary
tables; PostgreSQL makes every building, door and bağımsız bölüm with one INSERT … SELECT per
table (ST_Affine of the template row by the copy's six numbers). Ids are computed (copy ×
template size + index), so the same plan writes the same rows. The big tables' secondary indexes
are dropped first and built once at the end, inside the same transaction. Columns the writer does
not set take their model default (an official code: NULL, awaiting registration)."""

import io
from collections.abc import Callable, Iterable, Sequence

import shapely
from django.db import connection, models
from shapely.geometry.base import BaseGeometry

from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle, Yapi

from .city import CityPlan
from .city_template import Template

TEMP_TABLES = ("city_tile", "city_mah", "city_street", "city_link", "city_yapi", "city_bolum", "city_mah_name",
               "city_street_name")
BIG = (Yapi, Adres, BagimsizBolum, Csbm, Csbm.mahalleler.through, Mahalle)


def _ewkb(geoms: Sequence[BaseGeometry]) -> list[str]:
    return list(shapely.to_wkb(shapely.set_srid(list(geoms), 4326), hex=True, include_srid=True))


def _text(value: object) -> str:
    if value is None:
        return r"\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _copy(cur, table: str, columns: str, rows: Iterable[Sequence[object]]) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(_text(v) for v in row) + "\n")
    buf.seek(0)
    cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buf)


def _temp_tables(cur, t: Template, plan: CityPlan, ilce_ids: list[int]) -> None:
    cur.execute("""
        CREATE TEMP TABLE city_tile (n int, ilce_id int, buildings int, a float8, b float8, d float8, e float8,
                                     xoff float8, yoff float8) ON COMMIT DROP;
        CREATE TEMP TABLE city_mah (idx int, geom geometry) ON COMMIT DROP;
        CREATE TEMP TABLE city_street (idx int, tur text, geom geometry) ON COMMIT DROP;
        CREATE TEMP TABLE city_link (street int, mah int) ON COMMIT DROP;
        CREATE TEMP TABLE city_yapi (idx int, mah int, street int, kapi_no text, taraf text, kat_ust int,
                                     kat_alt int, kullanim text, geom geometry, door geometry) ON COMMIT DROP;
        CREATE TEMP TABLE city_bolum (idx int, yapi int, ic_kapi_no text, kat int, kullanim text) ON COMMIT DROP;
        CREATE TEMP TABLE city_mah_name (tile int, idx int, ad text) ON COMMIT DROP;
        CREATE TEMP TABLE city_street_name (tile int, idx int, ad text, numara int) ON COMMIT DROP;
    """)
    _copy(cur, "city_tile", "n, ilce_id, buildings, a, b, d, e, xoff, yoff",
          ((tl.n, ilce_ids[tl.ilce], tl.buildings, *tl.affine) for tl in plan.tiles))
    _copy(cur, "city_mah", "idx, geom", enumerate(_ewkb(t.mahalleler)))
    _copy(cur, "city_street", "idx, tur, geom",
          ((i, s.tur, g) for i, (s, g) in enumerate(zip(t.streets, _ewkb([s.geom for s in t.streets]), strict=True))))
    _copy(cur, "city_link", "street, mah", ((i, m) for i, s in enumerate(t.streets) for m in s.mahalleler))
    _copy(cur, "city_yapi", "idx, mah, street, kapi_no, taraf, kat_ust, kat_alt, kullanim, geom, door",
          ((i, b.mahalle, b.street, b.kapi_no, b.taraf, b.kat_ust, b.kat_alt, b.kullanim, g, door)
           for i, (b, g, door) in enumerate(zip(t.buildings, _ewkb([b.geom for b in t.buildings]),
                                                _ewkb([b.door for b in t.buildings]), strict=True))))
    bolumler = [(y, i + 1, kat, use) for y, b in enumerate(t.buildings) for i, (kat, use) in enumerate(b.bolumler)]
    _copy(cur, "city_bolum", "idx, yapi, ic_kapi_no, kat, kullanim", ((n, *row) for n, row in enumerate(bolumler)))
    _copy(cur, "city_mah_name", "tile, idx, ad", ((tl.n, i, ad) for tl in plan.tiles
                                                  for i, ad in enumerate(tl.mahalle_names)))
    _copy(cur, "city_street_name", "tile, idx, ad, numara", ((tl.n, i, ad, num) for tl in plan.tiles
                                                             for i, (ad, num) in enumerate(tl.street_names)))
    cur.execute("ANALYZE city_tile; ANALYZE city_yapi; ANALYZE city_bolum")


def _insert(cur, model: type[models.Model], given: dict[str, str], source: str, params: Sequence = ()) -> int:
    """INSERT … SELECT with the given column expressions; every other column gets its default."""
    cols, exprs, values = [], [], list(params)
    defaults = []
    for f in model._meta.concrete_fields:
        cols.append(connection.ops.quote_name(f.column))
        if f.column in given:
            exprs.append(given[f.column])
        else:
            exprs.append("%s")
            defaults.append(f.get_db_prep_save(f.get_default(), connection))
    # defaults are listed in SELECT order, ahead of the FROM clause's own parameters
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} {source}"
    cur.execute(sql, [*defaults, *values])
    return cur.rowcount


def _drop_indexes(cur) -> list[str]:
    """Drop the big tables' indexes that back no constraint; returns how to build them again."""
    tables = [m._meta.db_table for m in BIG]
    cur.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [tables])
    found = cur.fetchall()
    for name, _ in found:
        cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in found]


def _next_id(cur, model: type[models.Model]) -> int:
    cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")
    return cur.fetchone()[0]


AFFINE = "t.a, t.b, t.d, t.e, t.xoff, t.yoff"


def write_city(t: Template, plan: CityPlan, step: Callable[[str], None] = lambda s: None) -> dict[str, int]:
    """Insert the whole city; returns row counts by kind. Call inside a transaction."""
    il, _ = Il.objects.update_or_create(plaka=plan.il_plaka, defaults={"ad": plan.il_ad})
    ilceler = Ilce.objects.bulk_create([Ilce(il=il, ad=ad) for ad in plan.ilce_names])
    m_tile, s_tile, y_tile, b_tile = len(t.mahalleler), len(t.streets), len(t.buildings), \
        sum(len(b.bolumler) for b in t.buildings)
    counts = {"ilce": len(ilceler)}
    with connection.cursor() as cur:
        _temp_tables(cur, t, plan, [i.pk for i in ilceler])
        base = {m: _next_id(cur, m) for m in (Mahalle, Csbm, Yapi, Adres, BagimsizBolum)}
        rebuild = _drop_indexes(cur)
        step("şablon ve kopyalar yüklendi (template and copies loaded)")
        counts["mahalle"] = _insert(cur, Mahalle, {
            "id": f"{base[Mahalle]} + n.tile * {m_tile} + n.idx", "ilce_id": "t.ilce_id", "ad": "n.ad",
            "geom": f"ST_Multi(ST_Affine(m.geom, {AFFINE}))", "yaklasik": "true"},
            "FROM city_mah_name n JOIN city_tile t ON t.n = n.tile JOIN city_mah m ON m.idx = n.idx")
        counts["csbm"] = _insert(cur, Csbm, {
            "id": f"{base[Csbm]} + n.tile * {s_tile} + n.idx", "ilce_id": "t.ilce_id", "tur": "s.tur", "ad": "n.ad",
            "numara": "n.numara", "geom": f"ST_Multi(ST_Affine(s.geom, {AFFINE}))"},
            "FROM city_street_name n JOIN city_tile t ON t.n = n.tile JOIN city_street s ON s.idx = n.idx")
        through = Csbm.mahalleler.through
        cur.execute(f"""INSERT INTO {through._meta.db_table} (csbm_id, mahalle_id)
                        SELECT {base[Csbm]} + t.n * {s_tile} + l.street, {base[Mahalle]} + t.n * {m_tile} + l.mah
                        FROM city_tile t CROSS JOIN city_link l""")
        step("mahalleler ve CSBM yazıldı (mahalleler and streets written)")
        per_yapi = "FROM city_tile t JOIN city_yapi y ON y.idx < t.buildings"
        yapi_id = f"{base[Yapi]} + t.n * {y_tile} + y.idx"
        counts["yapi"] = _insert(cur, Yapi, {
            "id": yapi_id, "mahalle_id": f"{base[Mahalle]} + t.n * {m_tile} + y.mah",
            "kat_ust": "greatest(1, y.kat_ust + (t.n * 7 + y.idx * 13) %% 3 - 1)", "kat_alt": "y.kat_alt",
            "kullanim": "y.kullanim", "geom": f"ST_Affine(y.geom, {AFFINE})"}, per_yapi)
        step("yapılar yazıldı (buildings written)")
        counts["adres"] = _insert(cur, Adres, {
            "id": f"{base[Adres]} + t.n * {y_tile} + y.idx", "yapi_id": yapi_id,
            "csbm_id": f"{base[Csbm]} + t.n * {s_tile} + y.street",
            "mahalle_id": f"{base[Mahalle]} + t.n * {m_tile} + y.mah", "kapi_no": "y.kapi_no", "taraf": "y.taraf",
            "geom": f"ST_Affine(y.door, {AFFINE})"}, per_yapi)
        step("kapılar yazıldı (doors written)")
        counts["bagimsiz_bolum"] = _insert(cur, BagimsizBolum, {
            "id": f"{base[BagimsizBolum]} + t.n * {b_tile} + b.idx",
            "adres_id": f"{base[Adres]} + t.n * {y_tile} + b.yapi", "ic_kapi_no": "b.ic_kapi_no", "kat": "b.kat",
            "kullanim": "b.kullanim"}, "FROM city_tile t JOIN city_bolum b ON b.yapi < t.buildings")
        step("bağımsız bölümler yazıldı (units written)")
        cur.execute("UPDATE numarataj_ilce i SET geom = u.geom FROM (SELECT ilce_id, ST_Multi(ST_Union(geom)) geom "
                    "FROM numarataj_mahalle WHERE ilce_id = ANY(%s) GROUP BY ilce_id) u WHERE u.ilce_id = i.id",
                    [[i.pk for i in ilceler]])
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks the deferred foreign keys, so indexes may be built
        for definition in rebuild:
            cur.execute(definition)
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        for m in (Mahalle, Csbm, Yapi, Adres, BagimsizBolum):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{m._meta.db_table}', 'id'), "
                        f"(SELECT max(id) FROM {m._meta.db_table}))")
        cur.execute(f"DROP TABLE {', '.join(TEMP_TABLES)}")  # the caller's transaction may go on (tests)
        for m in BIG:
            cur.execute(f"ANALYZE {m._meta.db_table}")
        step("dizinler kuruldu (indexes built)")
    return counts
