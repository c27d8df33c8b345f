"""A layer's edit history as the editor shows it, and reverting one change with the rights checked.

The JSON API and the HTML history page both come through here, so who may revert what is decided
in one place; the revert itself is `geo.services.history.revert`, which refuses (409) to undo a
change that a later one has built on."""

import json
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from geo.errors import Forbidden, NotAuthenticated
from geo.models import Change, Layer, Right
from geo.services import history, permissions

# bookkeeping columns that say nothing to a reader of the history
SILENT_FIELDS = {"id", "layer_id", "version", "created_at", "updated_at"}
MAX_VALUE_CHARS = 60


def layer_changes(layer: Layer) -> QuerySet[Change]:
    """The layer's changes, newest first, each knowing whether a later change of the same row
    exists (then it cannot be reverted any more)."""
    later = Change.objects.filter(model=OuterRef("model"), object_id=OuterRef("object_id")).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
    return (Change.objects.filter(layer=layer).select_related("user")
            .annotate(superseded=Exists(later)).order_by("-at", "-id"))


def page_of(changes: QuerySet[Change], number: int | str, size: int) -> Page:
    """One page; out-of-range or malformed page numbers fall back to the nearest valid page."""
    return Paginator(changes, size).get_page(number)


def _is_geometry(value: Any) -> bool:
    return isinstance(value, dict) and "type" in value and ("coordinates" in value or "geometries" in value)


def _split(change: Change, snap: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
    """A snapshot as (attributes, geometry): the JSON properties for the feature store, the
    meaningful columns for typed models, a JSON column's keys one by one (an asset's
    `attributes.fillingLevel`) so a reader sees which one changed."""
    snap = snap or {}
    if change.model == "geo.Feature":
        return dict(snap.get("properties") or {}), snap.get("geom")
    attrs: dict[str, Any] = {}
    for key, value in snap.items():
        if key in SILENT_FIELDS or _is_geometry(value):
            continue
        if isinstance(value, dict):
            attrs.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            attrs[key] = value
    geometry = next((v for v in snap.values() if _is_geometry(v)), None)
    return attrs, geometry


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def summary(change: Change) -> list[str]:
    """Short lines a person can read: attribute values set or changed, and whether the geometry moved."""
    before, before_geom = _split(change, change.before)
    after, after_geom = _split(change, change.after)
    if change.action == Change.Action.CREATE:
        return [f"{k} = {_show(v)}" for k, v in after.items()]
    if change.action == Change.Action.DELETE:
        return [f"{k} = {_show(v)}" for k, v in before.items()]
    lines = [f"{k}: {_show(before.get(k))} → {_show(after.get(k))}"
             for k in sorted(before.keys() | after.keys()) if before.get(k) != after.get(k)]
    if before_geom != after_geom:
        lines.append(_("geometri değişti"))
    return lines


def to_dict(change: Change) -> dict[str, Any]:
    return {
        "id": change.pk,
        "at": change.at,
        "user": change.user.get_username() if change.user else None,
        "action": change.action,
        "action_label": str(change.get_action_display()),
        "model": change.model,
        "object_id": change.object_id,
        "before": change.before,
        "after": change.after,
        "comment": change.comment,
        "reverts": change.reverts_id,
        "revertable": not getattr(change, "superseded", False),
        "summary": summary(change),
    }


def revert_change(change: Change, user: permissions.UserLike) -> Change:
    """Revert after checking the right: edit_data on the change's layer; changes not tied to a
    layer (made elsewhere) only by a superuser."""
    if change.layer_id is not None:
        permissions.require(user, change.layer, Right.EDIT_DATA)
    elif user is None or not user.is_authenticated:
        raise NotAuthenticated("Bu işlem için giriş yapmalısınız. (Log in to do this.)")
    elif not user.is_superuser:
        raise Forbidden("Katmana bağlı olmayan değişiklikleri yalnızca yöneticiler geri alabilir. "
                        "(Only administrators may revert changes not tied to a layer.)")
    return history.revert(change, user=user)
