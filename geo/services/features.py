"""Create, update and delete rows of the generic feature store, validated and recorded.

Updates use optimistic locking: the caller names the version it edited; if someone saved in
between, the update is refused with 409 instead of silently overwriting their work."""

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone

from geo.errors import Conflict, InvalidInput
from geo.models import Change, Feature, Layer, Right

from . import history, permissions
from .validation import check_attributes, clean_geometry


def _touch(layer: Layer) -> None:
    Layer.objects.filter(pk=layer.pk).update(data_updated_at=timezone.now())


@transaction.atomic
def create_feature(layer: Layer, geom: GEOSGeometry, properties: dict, *, user,
                   check_rights: bool = True) -> tuple[Feature, str]:
    """Returns the feature and a repair note ('' when the geometry was valid)."""
    if not layer.is_feature_store:
        raise InvalidInput("Bu katman genel detay deposunda değil. (Layer is not in the feature store.)")
    if check_rights:
        permissions.require(user, layer, Right.EDIT_DATA)
    clean = clean_geometry(geom, layer)
    feature = Feature.objects.create(layer=layer, geom=clean.geom, properties=check_attributes(layer, properties))
    history.record(feature, Change.Action.CREATE, user=user, before=None, after=history.snapshot(feature),
                   layer=layer, comment=f"onarıldı: {clean.reason}" if clean.repaired else "")
    _touch(layer)
    return feature, clean.reason


@transaction.atomic
def update_feature(feature_id: int, layer: Layer, *, expected_version: int | None, user,
                   geom: GEOSGeometry | None = None, properties: dict | None = None) -> tuple[Feature, str]:
    permissions.require(user, layer, Right.EDIT_DATA)
    feature = Feature.objects.select_for_update().get(pk=feature_id, layer=layer)
    if expected_version is None:
        raise InvalidInput("Güncelleme hangi sürümün düzenlendiğini belirtmeli (version). "
                           "(An update must say which version it edited.)")
    if feature.version != expected_version:
        raise Conflict("Bu detay siz düzenlerken başka biri tarafından değiştirildi. "
                       "(Someone else saved this feature while you were editing.)",
                       current_version=feature.version, your_version=expected_version)
    before = history.snapshot(feature)
    repair = ""
    if geom is not None:
        clean = clean_geometry(geom, layer)
        feature.geom, repair = clean.geom, clean.reason
    if properties is not None:
        feature.properties = check_attributes(layer, properties)
    feature.version += 1
    feature.save()
    history.record(feature, Change.Action.UPDATE, user=user, before=before, after=history.snapshot(feature),
                   layer=layer, comment=f"onarıldı: {repair}" if repair else "")
    _touch(layer)
    return feature, repair


@transaction.atomic
def delete_feature(feature_id: int, layer: Layer, *, user, expected_version: int | None = None) -> None:
    permissions.require(user, layer, Right.EDIT_DATA)
    feature = Feature.objects.select_for_update().get(pk=feature_id, layer=layer)
    if expected_version is not None and feature.version != expected_version:
        raise Conflict("Bu detay siz düzenlerken değiştirildi. (The feature changed while you were editing.)",
                       current_version=feature.version, your_version=expected_version)
    before = history.snapshot(feature)
    history.record(feature, Change.Action.DELETE, user=user, before=before, after=None, layer=layer)
    feature.delete()
    _touch(layer)
