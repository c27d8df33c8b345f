"""Imagery records: importing a GeoTIFF as a registered COG, and its cached tiles."""

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db import transaction
from django.db.models import QuerySet

from . import cache, imagery
from .grid import check_tile
from .models import Imagery
from .tilesets import imagery_tilesets

IMAGERY_DIR = "imagery"


@transaction.atomic
def import_imagery(source: str | Path, *, slug: str, title: str, attribution: str, licence: str = "",
                   abstract: str = "", acquired: date | None = None, rendering: dict[str, Any] | None = None,
                   published: bool = True) -> Imagery:
    """Convert to COG under MEDIA_ROOT/imagery/<slug>.tif, (re)register it, drop its old tiles."""
    relative = f"{IMAGERY_DIR}/{slug}.tif"
    record = Imagery.objects.filter(slug=slug).first() or Imagery(slug=slug)
    imagery.to_cog(source, record.path if record.pk else Imagery(file=relative).path)
    record.file = relative
    info = imagery.describe(record.path)
    guessed = imagery.guess_rendering(info, f"{slug} {title}")
    record.rendering = {**guessed, **(rendering or {})}
    record.title, record.attribution, record.licence, record.abstract = title, attribution, licence, abstract
    record.acquired, record.published = acquired, published
    record.bounds = Polygon.from_bbox(info.bounds_lonlat)
    record.bounds.srid = 4326
    record.source_crs, record.width, record.height = info.crs, info.width, info.height
    record.band_count, record.dtype = info.count, info.dtype
    record.save()
    transaction.on_commit(lambda: [cache.clear(t) for t in imagery_tilesets(slug)])
    return record


def visible_imagery(user: Any) -> QuerySet[Imagery]:
    """The imagery a user may see: staff every record, everyone else the published ones."""
    return Imagery.objects.all() if getattr(user, "is_staff", False) else Imagery.objects.filter(published=True)


def imagery_tile(record: Imagery, z: int, x: int, y: int, fmt: str, scale: int = 1) -> bytes:
    """A PNG/WebP tile of the record, from the cache or warped from the COG."""
    check_tile(z, x, y)
    name = imagery_tilesets(record.slug)[1 if scale > 1 else 0]
    data = cache.get(name, z, x, y, fmt)
    if data is None:
        started = time.time()
        rgba = imagery.read_tile(record.path, record.rendering, z, x, y, scale)
        data = imagery.encode(rgba, fmt, attribution=record.attribution, size=imagery.TILE_PX * scale)
        cache.put_many(name, fmt, {(z, x, y): data}, started=started)
    return data
