"""What the editor knows about each layer a user may see: their rights on it, its geometry family
and the attribute form it needs. The editor API and the /katmanlar/ page share this, so a layer is
described once, the same way, with the rights resolved by `geo.services.permissions`."""

from typing import Any

from django.contrib.gis.db.models import Extent
from django.urls import reverse
from django.utils.translation import get_language

from geo.models import Feature, Layer, Right
from geo.services import permissions

from . import backends
from .geojson import geometry_field


def _english() -> bool:
    return (get_language() or "tr").startswith("en")


def layer_title(layer: Layer) -> str:
    return layer.title_en if _english() and layer.title_en else layer.title_tr


def theme_name(layer: Layer) -> str:
    theme = layer.theme
    return theme.name_en if _english() and theme.name_en else theme.name_tr


def attribute_fields(layer: Layer) -> list[dict[str, Any]]:
    """The form the editor builds for a row: the editing backend's, or, for a source nobody edits
    here, its columns read-only."""
    backend = backends.backend_for(layer)
    if backend is not None:
        return backend.attribute_fields(layer)
    required = set(layer.required_attributes())
    return [backends.field(n, {}, required=n in required, readonly=True) for n in layer.attribute_names()]


def is_editable(layer: Layer, rights: set[str]) -> bool:
    """Editable here: the user has the edit_data right and some backend writes the layer's source."""
    return Right.EDIT_DATA in rights and backends.backend_for(layer) is not None


def _extents(layers: list[Layer]) -> dict[int, list[float]]:
    """Extents of the editable sources, so the editor can zoom to a layer: the feature store in one
    grouped query, every other backend's layer (a handful of asset kinds) in one query each."""
    ids = [lyr.pk for lyr in layers if lyr.is_feature_store]
    rows = (Feature.objects.filter(layer_id__in=ids).order_by().values("layer_id")
            .annotate(extent=Extent("geom")))
    extents = {r["layer_id"]: list(r["extent"]) for r in rows if r["extent"]}
    for lyr in layers:
        if not lyr.is_feature_store and backends.backend_for(lyr) is not None:
            box = lyr.rows().aggregate(extent=Extent(geometry_field(lyr.source_model())))["extent"]
            if box:
                extents[lyr.pk] = list(box)
    return extents


def describe(layer: Layer, rights: set[str], extent: list[float] | None = None) -> dict[str, Any]:
    fields = attribute_fields(layer)
    return {
        "slug": layer.slug,
        "title": layer_title(layer),
        "theme": {"code": layer.theme_id, "name": theme_name(layer)},
        "group": layer.group.slug if layer.group_id else None,
        "geometry_family": layer.geometry_family,
        "geometry_label": str(layer.get_geometry_family_display()),
        "access_level": layer.access_level,
        "access_label": str(layer.get_access_level_display()),
        "source": layer.source,
        "feature_store": layer.is_feature_store,
        "editable_source": backends.backend_for(layer) is not None,   # editable by someone with the right
        "rights": sorted(rights),
        # sources without an editing backend (numarataj.Yapi, …) are listed read-only
        "editable": is_editable(layer, rights),
        "attributes": fields,
        "required": sorted(f["name"] for f in fields if f["required"]),
        "attribute_schema": layer.attribute_schema,
        "style": layer.style,
        "extent": extent,
        "data_updated_at": layer.data_updated_at or layer.updated_at,
        "urls": {
            "features": reverse("geo-layer-features", args=[layer.slug]),
            "history": reverse("geo-layer-history", args=[layer.slug]),
            "history_page": reverse("geo-layer-history-page", args=[layer.slug]),
        },
    }


def visible_layers(user: permissions.UserLike) -> list[dict[str, Any]]:
    """Every layer the user may view, with their rights on it, ordered by title."""
    rights = permissions.rights_for(user)
    ids = [lid for lid, r in rights.items() if Right.VIEW in r]
    layers = list(Layer.objects.filter(pk__in=ids).select_related("theme", "group").order_by("title_tr"))
    extents = _extents(layers)
    return [describe(lyr, rights[lyr.pk], extents.get(lyr.pk)) for lyr in layers]
