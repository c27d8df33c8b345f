"""What may leave Kent, decided once: every outlet asks `published_fields` (or `describe`, which
wraps it with where the rows are) — OGC API items, queryables and schemas, Records, vector tiles,
WMS, thematic maps, exports and open data, the city guide.

Four audiences: the public (anyone), agencies (under protocol, with a token or an account), staff
(the municipality's own users, signed in) and a layer's editors (who keep its data). A layer
admits an audience by its access level (`may_publish`); who belongs to which audience is decided
by the caller's checks (agency tokens, permissions; `audience_of` for a web user). Personal data
leaves for no audience but the layer's own editors, in the editor; internal working fields leave
only for staff."""

import time
from enum import StrEnum
from typing import Any

from geo.models import AccessLevel, Layer, Right
from geo.roles import is_staff_member
from geo.services import permissions

from .base import INTERNAL, PERSONAL, Fields, NotPublishable
from .registry import spec_for


class Audience(StrEnum):
    PUBLIC = "public"
    AGENCY = "agency"
    STAFF = "staff"
    EDITOR = "editor"  # the layer's editors in the map editor: everything they keep, personal data too


_LEVELS: dict[Audience, frozenset[str]] = {
    Audience.PUBLIC: frozenset({AccessLevel.PUBLIC}),
    Audience.AGENCY: frozenset({AccessLevel.PUBLIC, AccessLevel.AGENCY}),
    Audience.STAFF: frozenset({AccessLevel.PUBLIC, AccessLevel.AGENCY, AccessLevel.INTERNAL}),
    Audience.EDITOR: frozenset({AccessLevel.PUBLIC, AccessLevel.AGENCY, AccessLevel.INTERNAL}),
}


def audience_of(user: Any, layer: Layer | None = None) -> Audience:
    """The audience a web user reads as: a layer's editors (edit right on `layer`) as editors,
    staff roles as staff, any other account as an agency (their grants decide which agency layers
    they reach), anonymous as the public."""
    if layer is not None and permissions.can(user, layer, Right.EDIT_DATA):
        return Audience.EDITOR
    if is_staff_member(user):
        return Audience.STAFF
    return Audience.AGENCY if user is not None and user.is_authenticated else Audience.PUBLIC


def may_publish(layer: Layer, audience: Audience) -> bool:
    """Whether the layer's rows may reach this audience at all (staff also see unpublished layers)."""
    if not layer.published and audience not in {Audience.STAFF, Audience.EDITOR}:
        return False
    return layer.access_level in _LEVELS[audience]


def published_levels(audience: Audience) -> frozenset[str]:
    """The access levels an audience may read: for listing layers in one query."""
    return _LEVELS[audience]


def published_fields(layer: Layer, audience: Audience) -> Fields:
    """The attributes of `layer` this audience may see, name -> JSON schema with where it lives;
    refused (NotPublishable) when the layer does not admit the audience."""
    if not may_publish(layer, audience):
        raise NotPublishable(f"{layer.slug} bu kitleye açık değil. (Layer not open to this audience.)")
    fields = spec_for(layer).fields(layer)
    if audience is Audience.EDITOR:
        return fields
    return {name: spec for name, spec in fields.items()
            if not spec.get(PERSONAL) and (audience is Audience.STAFF or not spec.get(INTERNAL))}


def describe(layer: Layer, audience: Audience = Audience.AGENCY) -> dict[str, Any]:
    """Provider data for one layer and audience: where its rows are and which attributes leave,
    as plain JSON (the OGC configuration holds it; `sql.Source.from_data` turns it into SQL)."""
    spec = spec_for(layer)
    fields = published_fields(layer, audience)
    time_field = spec.time_field(layer)
    return {**spec.provider(layer), "fields": fields, "time_field": time_field if time_field in fields else None}


_described: dict[tuple[int, str, Audience], tuple[float, dict[str, Any]]] = {}
DESCRIBED_SECONDS = 60.0


def describe_cached(layer: Layer, audience: Audience = Audience.AGENCY) -> dict[str, Any]:
    """`describe`, remembered per worker for a minute (and until the layer row changes), for
    outlets that draw many times a second (tiles, WMS). A schema-less layer's new key shows up
    within the minute; however stale, it never holds a personal or internal key."""
    key = (layer.pk, str(layer.updated_at), audience)
    now = time.monotonic()
    hit = _described.get(key)
    if hit is None or now - hit[0] > DESCRIBED_SECONDS:
        if len(_described) > 1024:
            _described.clear()
        hit = _described[key] = (now, describe(layer, audience))
    return hit[1]


def shown_to(user: Any, layer: Layer) -> set[str] | None:
    """The attribute names a web user may see on `layer` in Kent's own pages and APIs (None: all,
    for the layer's editors); nothing but geometry when the layer is not open to their audience."""
    audience = audience_of(user, layer)
    if audience is Audience.EDITOR:
        return None
    try:
        return set(published_fields(layer, audience))
    except NotPublishable:
        return set()


def source_fields(source: str, audience: Audience) -> set[str]:
    """The attribute names of a source's rows this audience may see where they are shown outside
    a layer's own outlets (the guide's cards and search over the register): what its layers open
    to the audience publish, or — where no layer points at the source — what the source itself
    lets leave (its personal and internal fields withheld)."""
    layers = list(Layer.objects.filter(source=source))
    if layers:
        return {name for layer in layers if may_publish(layer, audience)
                for name in published_fields(layer, audience)}
    fields = spec_for(source).fields(Layer(source=source))
    return {name for name, spec in fields.items()
            if not spec.get(PERSONAL) and (audience in {Audience.STAFF, Audience.EDITOR} or not spec.get(INTERNAL))}
