"""Asset edits, attributable: every create, update and delete goes through here and leaves a
row in geo's edit history (who, when, before/after), like any layer feature's edit."""

from typing import Any

from django.db import transaction

from geo.models import Change
from geo.services.history import record, snapshot
from smartcity.models import Asset


@transaction.atomic
def save_asset(asset: Asset, *, user: Any, comment: str = "") -> Asset:
    """Create or update an asset and record the change."""
    before = None
    if asset.pk:
        old = Asset.objects.filter(pk=asset.pk).first()
        before = snapshot(old) if old else None
    asset.save()
    record(asset, Change.Action.UPDATE if before else Change.Action.CREATE, user=user, before=before,
           after=snapshot(asset), comment=comment)
    return asset


@transaction.atomic
def delete_asset(asset: Asset, *, user: Any, comment: str = "") -> None:
    """Delete an asset (its observations, state and alerts go with it) and record it."""
    before = snapshot(asset)
    pk = asset.pk
    asset.delete()
    asset.pk = pk
    record(asset, Change.Action.DELETE, user=user, before=before, after=None, comment=comment)
