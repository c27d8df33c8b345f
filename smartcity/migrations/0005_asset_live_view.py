"""smartcity_asset_live: every asset with its latest state, the rows OGC API Features publishes
for the asset layers (geo/ogc/sources.py ASSET_VIEW).

A plain view, not a table: the state is read per request, so a reading shows on the next page
without any copy or refresh, and the planner pushes a layer's `kind_id = '…'` and bbox down to
smartcity_asset's indexes. An attribute's published value is the state's if the latest reading
has it, else the asset's own (`coalesce(state->k, attributes->k)`, written by geo/ogc/source_sql):
measured on 20,000 containers, merging the two objects in the view (`attributes || state`) made
a filtered page of 1,000 2-3x slower, since the merge is repeated for every key read.

A later migration that alters or drops a column used here must drop the view first and create
it again (PostgreSQL refuses otherwise); adding columns to the tables is unaffected."""

from django.db import migrations

CREATE = """
CREATE VIEW smartcity_asset_live AS
SELECT a.id, a.kind_id, a.asset_id, a.name, a.osm_id, a.geom, a.attributes,
       s.observed_at, s.received_at, s.state
FROM smartcity_asset a
LEFT JOIN smartcity_assetstate s ON s.asset_id = a.id;
"""

DROP = "DROP VIEW IF EXISTS smartcity_asset_live;"


class Migration(migrations.Migration):
    dependencies = [("smartcity", "0004_observation_partitions_and_rules")]
    operations = [migrations.RunSQL(CREATE, DROP)]
