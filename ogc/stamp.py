"""The registry stamp: one text that changes whenever a layer is created, deleted, saved, or has
its slug, publication, access level, source, source filter, group or theme changed (also by QuerySet.update(),
which leaves updated_at alone). As cheap as SELECT 1, and small enough to ride along with a data
query as one more column, so a single round trip both reads features and confirms the cached
configuration they were read with."""

from django.db import connection

STAMP_SQL = """(SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') || '/' ||
  coalesce(sum(hashtext(concat_ws(':', id, slug, published, access_level, source, source_filter, group_id,
                                  theme_id))), 0)
  FROM geo_layer)"""


def read() -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {STAMP_SQL}")
        return cur.fetchone()[0]
