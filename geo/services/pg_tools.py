"""PostgreSQL outside Django's ORM, for backup and restore: libpq connections and environments
built from Django's database settings, the pg_dump/pg_restore matching the server, row counts
and the databases themselves (create extensions, list tables, drop)."""

import os
import re
import shutil
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _
from psycopg2 import sql


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, Turkish first."""


def db_settings() -> dict[str, Any]:
    return settings.DATABASES["default"]


def connect(dbname: str | None = None):
    db = db_settings()
    params = {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
              "password": db.get("PASSWORD"), "dbname": dbname or db["NAME"],
              "sslmode": db.get("OPTIONS", {}).get("sslmode")}
    return psycopg2.connect(**{k: v for k, v in params.items() if v not in (None, "")})


def pg_env(dbname: str) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore, the same connection psycopg2 makes from settings
    (other PG* variables, e.g. SSL certificates, pass through); no password on a command line."""
    db = db_settings()
    env = {k: v for k, v in os.environ.items() if k != "PGOPTIONS"}  # Mapnik's lock timeout is not ours
    pairs = {"PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"), "PGUSER": db.get("USER"),
             "PGPASSWORD": db.get("PASSWORD"), "PGDATABASE": dbname,
             "PGSSLMODE": db.get("OPTIONS", {}).get("sslmode")}
    env.update({k: str(v) for k, v in pairs.items() if v not in (None, "")})
    return env


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(m.group(1)) if m else None


def pg_tool(name: str, server_major: int) -> str:
    """The pg_dump/pg_restore matching the server's major version. An older client cannot read
    a newer server, and Debian's /usr/bin wrapper may pick another cluster's version, so the
    versioned directories come first and every candidate's own --version is checked."""
    dirs = [os.environ.get("KENT_PG_BINDIR", ""), f"/usr/lib/postgresql/{server_major}/bin",
            f"/usr/pgsql-{server_major}/bin", f"/opt/homebrew/opt/postgresql@{server_major}/bin",
            f"/usr/local/opt/postgresql@{server_major}/bin"]
    candidates = [str(Path(d) / name) for d in dirs if d] + [shutil.which(name) or ""]
    newer: list[tuple[int, str]] = []
    for path in candidates:
        if not path or not os.access(path, os.X_OK):
            continue
        major = _tool_major(path)
        if major == server_major:
            return path
        if major is not None and major > server_major:
            newer.append((major, path))
    if newer:
        return min(newer)[1]
    raise BackupError(_("PostgreSQL %(major)s için %(tool)s bulunamadı; KENT_PG_BINDIR ile dizinini belirtin. "
                        "(%(tool)s for PostgreSQL %(major)s not found; set KENT_PG_BINDIR.)")
                      % {"major": server_major, "tool": name})


def run_tool(cmd: list[str], env: dict[str, str], what: str) -> str:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise BackupError(_("%(what)s başarısız oldu. (%(what)s failed.)") % {"what": what} + f"\n{tail}")
    return proc.stdout


def row_counts(cur, tables: list[str]) -> dict[str, int | None]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))")
    existing = {r[0] for r in cur.fetchall()}
    counts: dict[str, int | None] = {}
    for table in sorted(tables):
        if table not in existing:
            counts[table] = None
            continue
        cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cur.fetchone()[0]
    return counts


def extension_tables(cur) -> dict[str, int]:
    """Rows pg_dump saves from extension configuration tables (custom SRIDs in spatial_ref_sys)."""
    cur.execute("""SELECT n.nspname, c.relname, coalesce(x.cond, '')
                   FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(rel, cond)
                   JOIN pg_class c ON c.oid = x.rel JOIN pg_namespace n ON n.oid = c.relnamespace""")
    result = {}
    for schema, table, cond in cur.fetchall():
        cur.execute(sql.SQL("SELECT count(*) FROM {} ").format(sql.Identifier(schema, table)) + sql.SQL(cond))
        result[f"{schema}.{table}"] = cur.fetchone()[0]
    return result


def maintenance_connection():
    """A connection for CREATE/DROP DATABASE (never to the database being replaced)."""
    try:
        conn = connect("postgres")
    except psycopg2.OperationalError:
        conn = connect("template1")
    conn.autocommit = True
    return conn


def user_tables(dbname: str) -> list[str]:
    """Tables and views in the database that no extension owns (spatial_ref_sys is PostGIS's)."""
    with closing(connect(dbname)) as conn, conn.cursor() as cur:
        cur.execute("""SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE c.relkind IN ('r', 'p', 'v', 'm')
                         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                         AND n.nspname NOT LIKE 'pg_toast%'
                         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                         AND d.objid = c.oid AND d.deptype = 'e')
                       ORDER BY 1""")
        return [r[0] for r in cur.fetchall()]


def drop_database(cur, name: str) -> None:
    if name == db_settings()["NAME"]:
        connections.close_all()
    cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create_extensions(dbname: str, extensions: list[str]) -> None:
    with closing(connect(dbname)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            for ext in extensions:
                try:
                    cur.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(ext)))
                except psycopg2.Error as e:
                    raise BackupError(_("'%(ext)s' eklentisi kurulamadı; bir süper kullanıcı template1'e kurmalı. "
                                        "(Extension '%(ext)s' cannot be created; a superuser must install it "
                                        "in template1.)") % {"ext": ext} + f"\n{e}") from e
