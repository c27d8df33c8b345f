"""Day partitions: made on demand (late readings included), ahead of time, and dropped past retention."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from smartcity import partitions
from smartcity.ingest.messages import AssetRef, Reading
from smartcity.ingest.store import write_batch
from smartcity.models import Observation

from .conftest import ts

pytestmark = pytest.mark.django_db


def days() -> set:
    return {d for _, d in partitions.existing()}


def test_late_reading_gets_its_day(client, make_asset, make_device):
    bin_ = make_asset("WasteContainer")
    _, token = make_device(kinds=("WasteContainer",))
    three_days_ago = 3 * 86400 + 60
    body = {"id": bin_.asset_id, "type": "WasteContainer", "dateObserved": ts(three_days_ago), "fillingLevel": 0.2}
    r = client.post("/api/smartcity/readings/", json.dumps(body), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201
    day = (datetime.now(UTC) - timedelta(seconds=three_days_ago)).date()
    assert day in days()
    assert Observation.objects.filter(asset_id=bin_.pk).count() == 1


def test_partitions_ahead_and_prune():
    today = datetime.now(UTC).date()
    out = io.StringIO()
    call_command("observation_partitions", "--ahead", "2", "--back", "0", stdout=out)
    assert {today, today + timedelta(days=1), today + timedelta(days=2)} <= days()
    assert f"smartcity_observation_{today:%Y%m%d}" in out.getvalue()
    old = today - timedelta(days=500)
    edge = today - timedelta(days=30)
    partitions.ensure([old, edge])
    call_command("prune_observations", "--days", "30", stdout=out)
    left = days()
    assert old not in left and today in left
    assert edge in left  # its day is not wholly past the retention yet
    assert "smartcity_observation_" in out.getvalue()


def test_insert_after_someone_else_pruned_recovers(make_asset):
    """Another process dropped a partition this one remembers: the batch is retried, not lost."""
    bin_ = make_asset("WasteContainer")
    when = datetime.now(UTC) - timedelta(days=2)
    partitions.ensure([when.date()])
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE smartcity_observation_{when:%Y%m%d}")
    ref = AssetRef(bin_.pk, bin_.asset_id, "WasteContainer", {})
    result = write_batch([Reading(ref, when, {"fillingLevel": 0.3}, None)], [])
    assert result.stored == 1
