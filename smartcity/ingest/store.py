"""Writing a batch in one transaction: readings COPYed into a per-session staging table, moved
into the day-partitioned observation table with INSERT … ON CONFLICT DO NOTHING (the primary
key (asset, observed_at) makes a re-delivered or repeated reading a no-op), latest states
upserted only forwards, alerts evaluated on the states that moved, refusals dead-lettered.

Errors: a lost connection (OperationalError/InterfaceError) propagates — the caller retries the
whole batch. Data the database refuses row by row (DataError/IntegrityError) is retried one
reading at a time so one poison reading is dead-lettered instead of blocking the stream."""

import io
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from smartcity import alerts, partitions
from smartcity.models import DeadLetter, Device

from .messages import AssetRef, Reading, Refusal

log = logging.getLogger(__name__)

STAGE = """CREATE TEMP TABLE IF NOT EXISTS smartcity_observation_stage (
    asset_id bigint, observed_at timestamptz, received_at timestamptz, device_id bigint, data jsonb
) ON COMMIT DELETE ROWS"""
COPY = "COPY smartcity_observation_stage (asset_id, observed_at, received_at, device_id, data) FROM STDIN (FORMAT csv)"
INSERT = """INSERT INTO smartcity_observation (asset_id, observed_at, received_at, device_id, data)
SELECT asset_id, observed_at, received_at, device_id, data FROM smartcity_observation_stage
ON CONFLICT DO NOTHING"""
# newest reading per asset, in asset order (a stable lock order between concurrent workers)
UPSERT_STATE = """INSERT INTO smartcity_assetstate AS s (asset_id, observed_at, received_at, state)
SELECT DISTINCT ON (asset_id) asset_id, observed_at, received_at, data
FROM smartcity_observation_stage ORDER BY asset_id, observed_at DESC
ON CONFLICT (asset_id) DO UPDATE
SET observed_at = EXCLUDED.observed_at, received_at = EXCLUDED.received_at, state = s.state || EXCLUDED.state
WHERE s.observed_at < EXCLUDED.observed_at
RETURNING s.asset_id, s.observed_at, s.state"""


@dataclass
class BatchResult:
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    opened: int = 0
    closed: int = 0
    refusals: list[Refusal] = field(default_factory=list)

    def add(self, other: "BatchResult") -> None:
        for name in ("stored", "duplicates", "refused", "opened", "closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.refusals.extend(other.refusals)


def _csv(readings: list[Reading], received: str) -> io.StringIO:
    """COPY's CSV, written by hand: the csv module costs twice as much per row, and only the JSON
    column needs quoting (numbers and ISO timestamps never do)."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lines = [f'{r.asset.pk},{r.observed_at.isoformat()},{received},{r.device_pk or ""},'
             f'"{dumps(r.data).replace(chr(34), chr(34) * 2)}"\n' for r in readings]
    return io.StringIO("".join(lines))


def _load(readings: list[Reading]) -> tuple[int, list[alerts.StateChange]]:
    """COPY, insert, move states; inside the caller's transaction. (stored, moved states)."""
    assets: dict[int, AssetRef] = {r.asset.pk: r.asset for r in readings}
    with connection.cursor() as cur:
        cur.execute(STAGE)
        with connection.wrap_database_errors:  # copy_expert bypasses Django's error translation
            cur.copy_expert(COPY, _csv(readings, datetime.now(UTC).isoformat()))
        cur.execute(INSERT)
        stored = cur.rowcount
        cur.execute(UPSERT_STATE)
        moved = [alerts.StateChange(assets[pk], at, state if isinstance(state, dict) else json.loads(state))
                 for pk, at, state in cur.fetchall()]
        # ON COMMIT empties the stage too, but a caller's outer transaction may hold several batches
        cur.execute("DELETE FROM smartcity_observation_stage")
    return stored, moved


_touched: dict[int, float] = {}
TOUCH_EVERY = 30.0


def _touch_devices(readings: list[Reading]) -> None:
    """Devices' last_seen_at, at most every TOUCH_EVERY seconds per device and process: a write
    per batch on the same few rows would serialise concurrent workers for no news."""
    now = time.monotonic()
    pks = {r.device_pk for r in readings if r.device_pk and now - _touched.get(r.device_pk, -1e9) > TOUCH_EVERY}
    if pks:
        Device.objects.filter(pk__in=pks).update(last_seen_at=timezone.now())
        _touched.update(dict.fromkeys(pks, now))


def write_batch(readings: list[Reading], refusals: list[Refusal]) -> BatchResult:
    """Store a batch; returns what happened. Partitions are made first, outside the batch."""
    if readings:
        partitions.ensure({r.observed_at.astimezone(UTC).date() for r in readings})
    try:
        return _write(readings, refusals)
    except (DataError, IntegrityError) as e:
        log.warning("batch of %d refused by the database (%s); retrying one by one", len(readings), e)
        partitions.forget()
        return _write_one_by_one(readings, refusals)


def _write(readings: list[Reading], refusals: list[Refusal]) -> BatchResult:
    result = BatchResult(refused=len(refusals), refusals=list(refusals))
    with transaction.atomic():
        if readings:
            result.stored, moved = _load(readings)
            result.duplicates = len(readings) - result.stored
            result.opened, result.closed = alerts.evaluate(moved)
            _touch_devices(readings)
        if refusals:
            DeadLetter.objects.bulk_create([r.dead_letter() for r in refusals])
    return result


def _write_one_by_one(readings: list[Reading], refusals: list[Refusal]) -> BatchResult:
    total = BatchResult()
    if readings:
        partitions.ensure({r.observed_at.astimezone(UTC).date() for r in readings})
    for r in readings:
        try:
            total.add(_write([r], []))
        except (DataError, IntegrityError) as e:
            env = r.envelope
            if env is None:
                raise
            refusals = [*refusals, Refusal(env, DeadLetter.Reason.STORAGE, f"Veritabanı reddetti: {e}"[:2000],
                                           asset_ref=f"{r.asset.kind}/{r.asset.asset_id}")]
    total.add(_write([], refusals))
    return total
