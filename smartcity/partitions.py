"""Day partitions of smartcity_observation: created on demand before a batch is written (a late
reading gets its old day back, within the retention period), a few days ahead by the worker,
and dropped whole when older than KENT_OBSERVATION_RETENTION_DAYS — dropping a partition is
instant, deleting millions of rows is not.

Partition days are UTC days; the SQL function smartcity_observation_partition (migration 0004)
serialises creation with an advisory lock so several workers can race safely."""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

NAME = re.compile(r"^smartcity_observation_(\d{8})$")
_known: set[date] = set()


def forget() -> None:
    """Drop this process's memory of existing partitions (after a prune or a failed insert)."""
    _known.clear()


def ensure(days: Iterable[date]) -> None:
    """Make sure a partition exists for each day; in its own short transaction, because creating
    a partition locks the parent table and should not wait for a batch to commit."""
    missing = sorted(set(days) - _known)
    if not missing:
        return
    with transaction.atomic(), connection.cursor() as cur:
        for day in missing:
            cur.execute("SELECT smartcity_observation_partition(%s)", [day])
    _known.update(missing)


def ensure_ahead(days_ahead: int = 3, days_back: int = 1, today: date | None = None) -> None:
    today = today or datetime.now(UTC).date()
    ensure(today + timedelta(days=i) for i in range(-days_back, days_ahead + 1))


def existing() -> list[tuple[str, date]]:
    """(partition name, UTC day) of every day partition, oldest first."""
    with connection.cursor() as cur:
        cur.execute("""SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                       WHERE i.inhparent = 'smartcity_observation'::regclass""")
        names = [r[0] for r in cur.fetchall()]
    out = [(n, datetime.strptime(m.group(1), "%Y%m%d").date()) for n in names if (m := NAME.match(n))]
    return sorted(out, key=lambda p: p[1])


def prune(retention_days: int, now: datetime | None = None) -> list[str]:
    """Drop the partitions whose whole day is older than the retention period."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    dropped = []
    for name, day in existing():
        end = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        if end <= cutoff:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f'DROP TABLE IF EXISTS "{name}"')
            dropped.append(name)
    forget()
    return dropped
