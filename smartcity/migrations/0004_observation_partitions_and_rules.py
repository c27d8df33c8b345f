"""The observation table, partitioned by day on observed_at, the function that creates a day's
partition on demand (safe when several workers race), and the declared kinds and alert rules.

No foreign key to smartcity_asset: Django's test flush TRUNCATEs managed tables only, and a
table referenced from this unmanaged one could not be truncated (every transactional test in
the project would fail). A statement-level trigger deletes an asset's observations with it;
it also saves the per-row key check on a table written thousands of rows a second."""

from django.db import migrations

from smartcity.kinds import sync_kinds
from smartcity.rules import sync_rules

CREATE = """
CREATE TABLE smartcity_observation (
    asset_id    bigint      NOT NULL,
    observed_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    device_id   bigint      NULL,
    data        jsonb       NOT NULL,
    PRIMARY KEY (asset_id, observed_at)
) PARTITION BY RANGE (observed_at);

CREATE FUNCTION smartcity_observation_partition(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    part text := 'smartcity_observation_' || to_char(day, 'YYYYMMDD');
BEGIN
    IF to_regclass(part) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext('smartcity_observation_partitions'));
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF smartcity_observation FOR VALUES FROM (%L) TO (%L)',
                           part, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        END IF;
    END IF;
    RETURN part;
END $$;

CREATE FUNCTION smartcity_asset_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM smartcity_observation WHERE asset_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;

CREATE TRIGGER smartcity_asset_deleted AFTER DELETE ON smartcity_asset
REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION smartcity_asset_deleted();
"""

DROP = """
DROP TRIGGER IF EXISTS smartcity_asset_deleted ON smartcity_asset;
DROP FUNCTION IF EXISTS smartcity_asset_deleted();
DROP TABLE IF EXISTS smartcity_observation CASCADE;
DROP FUNCTION IF EXISTS smartcity_observation_partition(date);
"""


def load(apps, schema_editor):
    sync_kinds(apps.get_model("smartcity", "AssetKind"))
    sync_rules(apps.get_model("smartcity", "AlertRule"))


class Migration(migrations.Migration):
    dependencies = [("smartcity", "0003_feeds_observations_alerts")]
    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
