"""Recording and reverting changes of any model row (layer features, addresses, streets).

A snapshot is a JSON dict of the row's concrete fields; geometries are GeoJSON in the storage
CRS. Reverting applies the `before` snapshot and is itself recorded, so history only grows."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, models, transaction

from geo.errors import Conflict, NotFound
from geo.models import Change, Layer
from geo.signals import changes_recorded

User = AbstractBaseUser | AnonymousUser | None

# How the changes being recorded were made (e.g. "OGC API (anahtar #3 kpat_ab…)"), set by an outlet
# around a backend call, so every backend's history rows name the token without a new parameter.
_note: ContextVar[str] = ContextVar("kent_change_note", default="")


@contextmanager
def noted(note: str) -> Iterator[None]:
    """Append `note` to the comment of every change recorded inside this block."""
    mark = _note.set(note)
    try:
        yield
    finally:
        _note.reset(mark)


def model_label(obj_or_model: models.Model | type[models.Model]) -> str:
    return obj_or_model._meta.label


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The row as JSON: every concrete field by attname (FKs as ids), geometry as GeoJSON."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if isinstance(value, GEOSGeometry):
            value = json.loads(value.geojson)
        elif value is not None and not isinstance(value, (str, int, float, bool, dict, list)):
            value = str(value)
        data[f.attname] = value
    return data


def _apply(obj: models.Model, data: dict[str, Any]) -> None:
    for f in obj._meta.concrete_fields:
        if f.attname not in data or f.primary_key:
            continue
        value = data[f.attname]
        if value is not None and f.get_internal_type().endswith("Field") and hasattr(f, "geom_type"):
            value = GEOSGeometry(json.dumps(value), srid=f.srid)
        elif value is not None and f.get_internal_type() in {"DateTimeField", "DateField"}:
            value = f.to_python(value)
        setattr(obj, f.attname, value)


def _user_or_none(user: User) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def pending(obj: models.Model, action: str, *, user: User, before: dict | None, after: dict | None,
            layer: Layer | None = None, comment: str = "", reverts: Change | None = None) -> Change:
    """The history row of one change, not yet saved: record() saves it, record_many() many at once."""
    extra = _note.get()
    if extra:
        comment = f"{comment} · {extra}" if comment else extra
    return Change(layer=layer, model=model_label(obj), object_id=str(obj.pk), action=action,
                  user=_user_or_none(user), before=before, after=after, comment=comment[:300], reverts=reverts)


def record(obj: models.Model, action: str, *, user: User, before: dict | None, after: dict | None,
           layer: Layer | None = None, comment: str = "", reverts: Change | None = None) -> Change:
    change = pending(obj, action, user=user, before=before, after=after, layer=layer, comment=comment,
                     reverts=reverts)
    change.save(force_insert=True)
    return change


def record_many(changes: list[Change], batch_size: int = 1000) -> list[Change]:
    """Save many pending() rows in one insert. bulk_create sends no post_save, so listeners (the
    tile cache) hear of them through geo.signals.changes_recorded instead."""
    changes = Change.objects.bulk_create(changes, batch_size=batch_size)
    if changes:
        changes_recorded.send(sender=Change, changes=changes)
    return changes


def history_of(model: type[models.Model], object_id: Any) -> models.QuerySet[Change]:
    return Change.objects.filter(model=model_label(model), object_id=str(object_id))


@transaction.atomic
def revert(change: Change, *, user: User, comment: str = "") -> Change:
    """Undo one change. Only the latest change of a row can be reverted: undoing an older one
    would silently throw away the edits made after it."""
    from django.apps import apps

    model = apps.get_model(change.model)
    latest = history_of(model, change.object_id).select_for_update().first()
    if latest is None or latest.pk != change.pk:
        raise Conflict("Bu nesne sonradan yeniden değiştirildi; önce sonraki değişiklikleri geri alın. "
                       "(The row was changed again later; revert the later changes first.)",
                       latest_change=latest.pk if latest else None)
    current = model._default_manager.select_for_update().filter(pk=change.object_id).first()
    note = comment or f"#{change.pk} geri alındı (reverted)"
    if change.action == Change.Action.CREATE:
        if current is None:
            raise NotFound("Geri alınacak nesne artık yok. (The row no longer exists.)")
        before = snapshot(current)
        current.delete()
        current.pk = change.object_id
        return record(current, Change.Action.DELETE, user=user, before=before, after=None,
                      layer=change.layer, comment=note, reverts=change)
    if change.action == Change.Action.UPDATE:
        if current is None:
            raise NotFound("Geri alınacak nesne artık yok. (The row no longer exists.)")
        before = snapshot(current)
        _apply(current, change.before or {})
        _bump_version(current, before)
        _save(current)
        return record(current, Change.Action.UPDATE, user=user, before=before, after=snapshot(current),
                      layer=change.layer, comment=note, reverts=change)
    # DELETE: bring the row back with its old primary key
    if current is not None:
        raise Conflict("Nesne zaten mevcut. (The row already exists.)")
    obj = model(pk=change.object_id)
    _apply(obj, change.before or {})
    _bump_version(obj, change.before or {})
    _save(obj, force_insert=True)
    return record(obj, Change.Action.CREATE, user=user, before=None, after=snapshot(obj),
                  layer=change.layer, comment=note, reverts=change)


def _save(obj: models.Model, **options: Any) -> None:
    """Save a restored row; a unique value (an asset id) taken by another row since is a 409."""
    try:
        with transaction.atomic():
            obj.save(**options)
    except IntegrityError:
        raise Conflict("Nesne geri getirilemedi: benzersiz bir değeri (ör. kimliği) artık başka bir kayıtta. "
                       "(A unique value of the row is now used by another row.)") from None


def _bump_version(obj: models.Model, before: dict[str, Any]) -> None:
    """Rows with optimistic locking get a new version, so stale editors notice the revert."""
    if hasattr(obj, "version"):
        obj.version = int(before.get("version") or 0) + 1
