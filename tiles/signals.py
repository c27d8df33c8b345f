"""Keeping cached tiles true to the data: every recorded edit drops the tiles around it.

Data walks one way: an edit is saved, its history row (geo.Change) is written, and this module
hears the Change's post_save and deletes, once the transaction commits, the cached tiles of
every zoom touching the bbox of the row's geometry before and after the edit. The edit shows
on the next request. Registry changes to a layer (style, publication) drop its drawn tiles.

Writers that bulk_create their Change rows send no post_save: they call invalidate_changes()."""

from collections.abc import Iterable
from typing import Any

import shapely.geometry
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from geo.models import Change, Layer
from geo.signals import changes_recorded

from . import cache
from .tilesets import BASEMAP as BASEMAP_TILESETS
from .tilesets import drawn_tilesets, layer_tilesets

GEOJSON_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                 "GeometryCollection"}
# Registry fields that decide how a layer is drawn, and whether (and how) it is in the base map
DRAWN_FIELDS = ("style", "geometry_family", "source")
BASEMAP_FIELDS = ("published", "access_level", "theme_id", "geometry_family", "source", "style", "keywords")

Bbox = tuple[float, float, float, float]


def _geometries(snapshot: dict[str, Any] | None) -> Iterable[dict]:
    for value in (snapshot or {}).values():
        if isinstance(value, dict) and value.get("type") in GEOJSON_TYPES:
            yield value


def change_bbox(change: Change) -> Bbox | None:
    """The lon/lat bbox of every geometry in a change's before and after snapshots."""
    boxes = []
    for geojson in [*_geometries(change.before), *_geometries(change.after)]:
        try:
            geom = shapely.geometry.shape(geojson)
        except (ValueError, TypeError, AttributeError):
            continue
        if not geom.is_empty:
            boxes.append(geom.bounds)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _tilesets_of(change: Change) -> list[str]:
    slugs = {change.layer.slug} if change.layer_id else set()
    slugs |= set(Layer.objects.filter(source=change.model).values_list("slug", flat=True))
    return BASEMAP_TILESETS + [t for slug in sorted(slugs) for t in layer_tilesets(slug)]


def invalidate_changes(changes: Iterable[Change]) -> None:
    """Drop the tiles these changes touch, after the surrounding transaction commits."""
    work = [(bbox, _tilesets_of(c)) for c in changes if (bbox := change_bbox(c))]
    if work:
        transaction.on_commit(lambda: [cache.invalidate_bbox(bbox, tilesets) for bbox, tilesets in work])


def _on_change(sender: type[Change], instance: Change, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        invalidate_changes([instance])


def _remember_registry(sender: type[Layer], instance: Layer, raw: bool = False, **kwargs: Any) -> None:
    fields = sorted(set(DRAWN_FIELDS) | set(BASEMAP_FIELDS))
    instance._tiles_before = Layer.objects.filter(pk=instance.pk).values(*fields).first() if instance.pk else None


def _on_layer_saved(sender: type[Layer], instance: Layer, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    old = getattr(instance, "_tiles_before", None)
    changed = {f for f in {*DRAWN_FIELDS, *BASEMAP_FIELDS} if old is None or old[f] != getattr(instance, f)}
    drop = drawn_tilesets(instance.slug) if changed & set(DRAWN_FIELDS) else []
    # a new feature-store layer has no rows yet; a new typed layer publishes rows that exist
    if (old is None and not instance.is_feature_store) or (old is not None and changed & set(BASEMAP_FIELDS)):
        drop += BASEMAP_TILESETS
    if drop:
        transaction.on_commit(lambda: [cache.clear(t) for t in drop])


def _on_layer_deleted(sender: type[Layer], instance: Layer, **kwargs: Any) -> None:
    drop = [*layer_tilesets(instance.slug), *BASEMAP_TILESETS]
    transaction.on_commit(lambda: [cache.clear(t) for t in drop])


def _on_bulk_changes(sender: type[Change], changes: list[Change], **kwargs: Any) -> None:
    """Changes written in bulk (an import of thousands of rows): one invalidation per layer, for
    the union of their boxes, instead of one per row."""
    groups: dict[tuple[int | None, str], tuple[Change, tuple[float, float, float, float]]] = {}
    for change in changes:
        bbox = change_bbox(change)
        if bbox is None:
            continue
        key = (change.layer_id, change.model)
        if key in groups:
            first, (x0, y0, x1, y1) = groups[key]
            bbox = (min(x0, bbox[0]), min(y0, bbox[1]), max(x1, bbox[2]), max(y1, bbox[3]))
            change = first
        groups[key] = (change, bbox)
    work = [(bbox, _tilesets_of(change)) for change, bbox in groups.values()]
    if work:
        transaction.on_commit(lambda: [cache.invalidate_bbox(bbox, tilesets) for bbox, tilesets in work])


def connect() -> None:
    post_save.connect(_on_change, sender=Change, dispatch_uid="tiles-change-invalidate")
    changes_recorded.connect(_on_bulk_changes, sender=Change, dispatch_uid="tiles-bulk-invalidate")
    pre_save.connect(_remember_registry, sender=Layer, dispatch_uid="tiles-layer-before")
    post_save.connect(_on_layer_saved, sender=Layer, dispatch_uid="tiles-layer-saved")
    post_delete.connect(_on_layer_deleted, sender=Layer, dispatch_uid="tiles-layer-deleted")
