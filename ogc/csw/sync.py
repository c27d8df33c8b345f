"""Keeping the records table in step with the registry. `rebuild` writes every record anew (tens
to hundreds of rows; the extents cost what the OGC configuration's cost); `ensure_fresh` runs it
when the registry stamp (ogc/stamp.py) or the imagery table has changed since this process last
built, so a title, abstract, licence or access change shows in the next CSW answer, from
`manage.py csw_sync` or any worker. Two workers rebuilding at once take turns on a lock."""

import logging
import threading

from django.db import connection, transaction

from geo.models import AccessLevel
from geo.sources import Audience, NotPublishable, describe
from tiles.models import Imagery

from .. import stamp
from ..config import extent, published_layers
from ..models import CswRecord
from ..records import CATALOGUE_ID
from .iso import document
from .records import imagery_columns, layer_columns

LOG = logging.getLogger(__name__)
LOCK_KEY = 0x4B43_5357  # "KCSW": the advisory lock of a rebuild
IMAGERY_STAMP_SQL = f"SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM {Imagery._meta.db_table}"
AGENCY_NOTE = "Protokollü kurumlara açıktır; erişim anahtarı gerekir. (Open to agencies under protocol; needs a token.)"

_built = {"stamp": None}
_mutex = threading.Lock()


def current_stamp() -> str:
    with connection.cursor() as cur:
        cur.execute(IMAGERY_STAMP_SQL)
        return f"{stamp.read()}|{cur.fetchone()[0]}"


def _rows() -> list[dict]:
    rows = []
    for layer in published_layers():
        if layer.slug == CATALOGUE_ID:
            continue
        try:
            bbox = extent(describe(layer, Audience.AGENCY))
        except NotPublishable as e:
            LOG.warning("CSW: %s kataloğa alınmadı: %s", layer.slug, e)
            continue
        row = layer_columns(layer, bbox)
        note = AGENCY_NOTE if layer.access_level == AccessLevel.AGENCY else ""
        theme = [layer.theme.code, layer.theme.name_tr]
        row["xml"] = document(row, sorted({4326, layer.native_srid}), theme, note)
        rows.append(row)
    for image in Imagery.objects.filter(published=True).order_by("slug"):
        row = imagery_columns(image)
        row["xml"] = document(row, [4326], ["Ortofoto / uydu görüntüsü"], "")
        rows.append(row)
    return rows


def rebuild() -> int:
    """Write every record from the registry; returns how many."""
    seen = current_stamp()
    rows = _rows()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        CswRecord.objects.all().delete()
        CswRecord.objects.bulk_create([CswRecord(**row) for row in rows])
    _built["stamp"] = seen
    return len(rows)


def ensure_fresh() -> None:
    """Rebuild if the registry changed since this process last built the records."""
    if _built["stamp"] == current_stamp():
        return
    with _mutex:
        if _built["stamp"] != current_stamp():
            rebuild()


def forget() -> None:
    """Make the next request rebuild (tests that flush the database)."""
    _built["stamp"] = None
