"""Editing backends: how the editor reads and writes the rows of a layer, one per `Layer.source`.

The API views speak HTTP and GeoJSON; a backend turns a posted Feature into a call to the service
that owns the rows (the feature store here; smart-city assets bring theirs with their source spec,
geo.sources), so every source goes through the same views, rights check and history, and geo need
not know the other apps. A source without a backend is shown read-only."""

from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.gis.geos import GEOSGeometry
from django.db import models

from geo.models import Layer
from geo.services import features as feature_service
from geo.services.permissions import UserLike
from geo.sources import NotPublishable, spec_for


@dataclass
class Saved:
    """A row just written, and the geometry repair note ('' when nothing was repaired)."""

    row: models.Model
    repair: str = ""


class EditingBackend(Protocol):
    def attribute_fields(self, layer: Layer) -> list[dict[str, Any]]:
        """The form the editor shows for a row: name, title, type, enum, required, readonly."""

    def properties(self, row: models.Model) -> dict[str, Any]:
        """The row's attributes as GeoJSON properties: what the form edits and sends back."""

    def create(self, layer: Layer, geom: GEOSGeometry, properties: dict[str, Any], *, user: UserLike) -> Saved: ...

    def update(self, layer: Layer, pk: int, *, version: int, user: UserLike, geom: GEOSGeometry | None,
               properties: dict[str, Any] | None) -> Saved: ...

    def delete(self, layer: Layer, pk: int, *, version: int, user: UserLike) -> None: ...


def backend_for(layer: Layer) -> EditingBackend | None:
    """The layer source's editing backend (geo.sources registry), None when it is read-only."""
    try:
        return spec_for(layer).editing
    except NotPublishable:
        return None


def field(name: str, spec: dict[str, Any], *, required: bool, title: str | None = None,
          readonly: bool = False, create_only: bool = False, description: str = "") -> dict[str, Any]:
    """One form field from a JSON-Schema property: the same shape for every backend."""
    spec = spec if isinstance(spec, dict) else {}
    return {"name": name, "title": title or spec.get("title") or name, "type": spec.get("type", "string"),
            "required": required, "enum": spec.get("enum"), "description": description or spec.get("description", ""),
            "readonly": readonly, "create_only": create_only}


class FeatureStoreEditing:
    """Rows of the generic feature store (`geo.Feature`): properties are the JSON attributes."""

    def attribute_fields(self, layer: Layer) -> list[dict[str, Any]]:
        """Declared attributes in schema order, then any the TUCBS theme requires that the schema
        forgot (as text)."""
        required = set(layer.required_attributes())
        declared = layer.attribute_schema.get("properties") or {}
        return ([field(name, spec, required=name in required) for name, spec in declared.items()]
                + [field(n, {}, required=True) for n in sorted(required - declared.keys())])

    def properties(self, row: models.Model) -> dict[str, Any]:
        return row.properties

    def create(self, layer: Layer, geom: GEOSGeometry, properties: dict[str, Any], *, user: UserLike) -> Saved:
        return Saved(*feature_service.create_feature(layer, geom, properties, user=user))

    def update(self, layer: Layer, pk: int, *, version: int, user: UserLike, geom: GEOSGeometry | None,
               properties: dict[str, Any] | None) -> Saved:
        return Saved(*feature_service.update_feature(pk, layer, expected_version=version, user=user, geom=geom,
                                                     properties=properties))

    def delete(self, layer: Layer, pk: int, *, version: int, user: UserLike) -> None:
        feature_service.delete_feature(pk, layer, user=user, expected_version=version)

