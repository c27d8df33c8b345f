"""Asset edits, attributable and reversible: every create, update and delete goes through here
and leaves a row in geo's edit history (who, when, before/after) on the layer that shows the
asset's kind, like any layer feature's edit. `version` grows with every save, so a caller that
names the version it edited (the map editor) is refused with 409 instead of overwriting someone
else's work."""

import re
import uuid
from typing import Any

from django.db import transaction

from geo.errors import Conflict, InvalidInput
from geo.models import Change, Layer
from geo.services.history import record, snapshot
from geo.services.schema import compiled, refusal
from smartcity.layers import layers_of
from smartcity.models import Asset, AssetKind

# asset ids travel in MQTT topics and URL paths: no whitespace, no slash, no MQTT wildcards
ASSET_ID = re.compile(r"^[^\s/#+]{1,80}$")


def layer_of(kind_id: str) -> Layer | None:
    """The layer that shows this kind's assets (smartcity.layers), if there is one."""
    return next(iter(layers_of(kind_id)), None)


def check_version(asset: Asset, expected: int | None) -> None:
    if expected is not None and asset.version != expected:
        raise Conflict("Bu varlık siz düzenlerken başka biri tarafından değiştirildi. "
                       "(Someone else saved this asset while you were editing.)",
                       current_version=asset.version, your_version=expected)


def new_asset_id(kind: AssetKind) -> str:
    """An NGSI-LD style id for an asset drawn by hand: urn:ngsi-ld:<Type>:<uuid>."""
    return f"urn:ngsi-ld:{kind.type}:{uuid.uuid4()}"


def clean_asset_id(value: Any) -> str:
    """A given asset id, or a 400 saying what an id may hold; it must not be taken yet."""
    if not isinstance(value, str) or not ASSET_ID.match(value):
        raise InvalidInput("asset_id en çok 80 karakterlik, boşluk, '/', '+' ve '#' içermeyen bir metin olmalı. "
                           "(asset_id must be up to 80 characters without whitespace, '/', '+' or '#'.)",
                           invalid=["asset_id"])
    if Asset.objects.filter(asset_id=value).exists():
        raise InvalidInput(f"'{value}' kimliği başka bir varlıkta kullanılıyor. (This asset_id is already taken.)",
                           invalid=["asset_id"])
    return value


def check_asset_attributes(kind: AssetKind, attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes if they fit the kind's schema (geo.services.schema), else a 400 that names
    each attribute at fault, so the editor can mark its field."""
    problems = compiled(kind.schema if isinstance(kind.schema, dict) else {}).problems(attributes)
    if problems:
        raise refusal(problems, kind=kind.type)
    return attributes


@transaction.atomic
def save_asset(asset: Asset, *, user: Any, comment: str = "", layer: Layer | None = None,
               expected_version: int | None = None) -> Asset:
    """Create or update an asset and record the change on `layer` (default: its kind's layer)."""
    before = None
    if asset.pk:
        old = Asset.objects.select_for_update().filter(pk=asset.pk).first()
        if old is not None:
            check_version(old, expected_version)
            before = snapshot(old)
            asset.version = old.version + 1
    asset.save()
    record(asset, Change.Action.UPDATE if before else Change.Action.CREATE, user=user, before=before,
           after=snapshot(asset), layer=layer or layer_of(asset.kind_id), comment=comment)
    return asset


@transaction.atomic
def delete_asset(asset: Asset, *, user: Any, comment: str = "", layer: Layer | None = None,
                 expected_version: int | None = None) -> None:
    """Delete an asset (its observations, state and alerts go with it) and record it."""
    current = Asset.objects.select_for_update().get(pk=asset.pk)
    check_version(current, expected_version)
    before = snapshot(current)
    pk = current.pk
    current.delete()
    current.pk = pk
    record(current, Change.Action.DELETE, user=user, before=before, after=None,
           layer=layer or layer_of(current.kind_id), comment=comment)
