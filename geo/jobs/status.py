"""A running job's visible state, written on a connection of its own.

The work of a job runs in one transaction on the default connection, so that a failure, a
cancellation or a killed worker leaves nothing of it behind. Its progress and log must be seen
by the web page while that transaction is still open, and must stay when it rolls back; so they
are written here, in autocommit, on a second connection to the same database (one per thread,
opened on first use). The work must never write the geo_job row itself: that row is this
module's, and a lock taken on it inside the work's transaction would stall these writes."""

import os
import socket
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

_local = threading.local()


def _side() -> BaseDatabaseWrapper:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = connections.create_connection(DEFAULT_DB_ALIAS)
    return conn


def close() -> None:
    """Close this thread's side connection (a worker thread ending, a job finishing)."""
    conn = getattr(_local, "conn", None)
    if conn is not None:
        conn.close()
        _local.conn = None


def execute(sql: str, params: list[Any]) -> int:
    """Run one statement in autocommit on the side connection; returns the rows it touched."""
    conn = _side()
    conn.close_if_unusable_or_obsolete()
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def fetch(sql: str, params: list[Any]) -> tuple | None:
    with _side().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def set_progress(job_id: int, done: int, total: int | None) -> None:
    execute("UPDATE geo_job SET done = %s, total = COALESCE(%s, total), heartbeat_at = now() WHERE id = %s",
            [done, total, job_id])


def append_log(job_id: int, line: str) -> None:
    execute("UPDATE geo_job SET log = log || %s, heartbeat_at = now() WHERE id = %s", [line.rstrip() + "\n", job_id])


def heartbeat(job_id: int) -> None:
    execute("UPDATE geo_job SET heartbeat_at = now() WHERE id = %s AND state = 'running'", [job_id])


def cancel_requested(job_id: int) -> bool:
    row = fetch("SELECT cancel_requested FROM geo_job WHERE id = %s", [job_id])
    return bool(row and row[0])
