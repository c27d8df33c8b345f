"""The map editor's backend for smart-city assets (registered in SmartcityConfig.ready).

An asset layer has source 'smartcity.Asset' and source_filter {"kind_id": <type>}. A row travels
as a GeoJSON point whose properties hold `asset_id`, `name` and the kind's attributes side by
side, so the editor's one form serves assets and feature-store rows alike. Properties replace
the attributes as the feature store's do; attributes named like a column (an OSM 'name' tag)
cannot be told apart from the column in that form, so they are kept as they are."""

from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from geo.editor.backends import Saved, field
from geo.errors import InvalidGeometry, InvalidInput
from geo.models import Layer, Right
from geo.services import permissions
from geo.services.validation import clean_geometry
from smartcity import assets
from smartcity.models import Asset, AssetKind

COLUMNS = ("asset_id", "name")
MAX_NAME = 200


def _kind(layer: Layer) -> AssetKind | None:
    return AssetKind.objects.filter(pk=(layer.source_filter or {}).get("kind_id")).first()


def _kind_or_400(layer: Layer) -> AssetKind:
    kind = _kind(layer)
    if kind is None:
        raise InvalidInput(f"'{layer.slug}' katmanının varlık türü yok (source_filter kind_id). "
                           "(The layer names no asset kind.)", layer=layer.slug)
    return kind


def _point(geom: GEOSGeometry, layer: Layer) -> GEOSGeometry:
    point = clean_geometry(geom, layer).geom
    if point.geom_type != "Point":
        raise InvalidGeometry(f"Bir varlığın konumu tek bir nokta olmalı, {point.geom_type} geldi. "
                              "(An asset's location is a single point.)")
    return point


def _name(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise InvalidInput(f"'name' en çok {MAX_NAME} karakterlik bir metin olmalı. "
                           f"('name' must be text of at most {MAX_NAME} characters.)", invalid=["name"])
    return value


def _attributes(kind: AssetKind, properties: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in properties.items() if k not in COLUMNS}
    return {**kept, **assets.check_asset_attributes(kind, given)}


class AssetEditing:
    def attribute_fields(self, layer: Layer) -> list[dict[str, Any]]:
        """asset_id (set once: feeds and devices know the asset by it), name, then the kind's schema."""
        kind = _kind(layer)
        schema = kind.schema if kind else {}
        required = set(schema.get("required", []))
        hint = _("Boş bırakılırsa urn:ngsi-ld:%(type)s:… biçiminde üretilir; sonradan değiştirilemez.") % {
            "type": kind.type if kind else "…"}
        return [field("asset_id", {}, required=False, title=_("Varlık kimliği"), create_only=True, description=hint),
                field("name", {}, required=False, title=_("Ad")),
                *(field(n, spec, required=n in required)
                  for n, spec in (schema.get("properties") or {}).items() if n not in COLUMNS)]

    def properties(self, row: Asset) -> dict[str, Any]:
        return {"asset_id": row.asset_id, "name": row.name,
                **{k: v for k, v in row.attributes.items() if k not in COLUMNS}}

    def create(self, layer: Layer, geom: GEOSGeometry, properties: dict[str, Any], *, user: Any) -> Saved:
        permissions.require(user, layer, Right.EDIT_DATA)
        kind = _kind_or_400(layer)
        given_id = properties.get("asset_id")
        asset = Asset(kind=kind, geom=_point(geom, layer), name=_name(properties.get("name")),
                      asset_id=assets.new_asset_id(kind) if given_id in (None, "") else assets.clean_asset_id(given_id),
                      attributes=_attributes(kind, properties, {}))
        try:
            with transaction.atomic():
                assets.save_asset(asset, user=user, layer=layer)
        except IntegrityError:   # the same id saved by someone else a moment ago
            raise InvalidInput(f"'{asset.asset_id}' kimliği başka bir varlıkta kullanılıyor. "
                               "(This asset_id is already taken.)", invalid=["asset_id"]) from None
        return Saved(asset)

    @transaction.atomic
    def update(self, layer: Layer, pk: int, *, version: int, user: Any, geom: GEOSGeometry | None,
               properties: dict[str, Any] | None) -> Saved:
        permissions.require(user, layer, Right.EDIT_DATA)
        asset = layer.rows().select_for_update(of=("self",)).select_related("kind").get(pk=pk)
        assets.check_version(asset, version)
        if properties is not None:
            if properties.get("asset_id") not in (None, "", asset.asset_id):
                raise InvalidInput("asset_id sonradan değiştirilemez: beslemeler ve cihazlar varlığı bu kimlikle "
                                   "tanır. (asset_id cannot change: feeds and devices know the asset by it.)",
                                   invalid=["asset_id"])
            asset.name = _name(properties.get("name"))
            kept = {k: v for k, v in asset.attributes.items() if k in COLUMNS}
            asset.attributes = _attributes(asset.kind, properties, kept)
        if geom is not None:
            asset.geom = _point(geom, layer)
        return Saved(assets.save_asset(asset, user=user, layer=layer, expected_version=version))

    def delete(self, layer: Layer, pk: int, *, version: int, user: Any) -> None:
        permissions.require(user, layer, Right.EDIT_DATA)
        assets.delete_asset(layer.rows().get(pk=pk), user=user, layer=layer, expected_version=version)
