"""What the editor knows about each layer a user may see: their rights on it, its geometry family
and the attribute form it needs. The editor API and the /katmanlar/ page share this, so a layer is
described once, the same way, with the rights resolved by `geo.services.permissions`."""

from typing import Any

from django.contrib.gis.db.models import Extent
from django.urls import reverse
from django.utils.translation import get_language

from geo.models import Feature, Layer, Right
from geo.services import permissions


def _english() -> bool:
    return (get_language() or "tr").startswith("en")


def layer_title(layer: Layer) -> str:
    return layer.title_en if _english() and layer.title_en else layer.title_tr


def theme_name(layer: Layer) -> str:
    theme = layer.theme
    return theme.name_en if _english() and theme.name_en else theme.name_tr


def attribute_fields(layer: Layer) -> list[dict[str, Any]]:
    """The form the editor builds for a row: declared attributes in schema order, then any the
    TUCBS theme requires that the schema forgot (as text), each marked required or not."""
    required = set(layer.required_attributes())
    if not layer.is_feature_store:
        return [{"name": n, "title": n, "type": "string", "required": n in required, "readonly": True}
                for n in layer.attribute_names()]
    declared = layer.attribute_schema.get("properties") or {}
    fields = []
    for name, spec in declared.items():
        spec = spec if isinstance(spec, dict) else {}
        fields.append({"name": name, "title": spec.get("title") or name, "type": spec.get("type", "string"),
                       "required": name in required, "enum": spec.get("enum"),
                       "description": spec.get("description", ""), "readonly": False})
    fields += [{"name": n, "title": n, "type": "string", "required": True, "enum": None, "description": "",
                "readonly": False} for n in sorted(required - declared.keys())]
    return fields


def _extents(layers: list[Layer]) -> dict[int, list[float]]:
    """Feature-store extents in one grouped query, so the editor can zoom to a layer."""
    ids = [lyr.pk for lyr in layers if lyr.is_feature_store]
    rows = (Feature.objects.filter(layer_id__in=ids).order_by().values("layer_id")
            .annotate(extent=Extent("geom")))
    return {r["layer_id"]: list(r["extent"]) for r in rows if r["extent"]}


def describe(layer: Layer, rights: set[str], extent: list[float] | None = None) -> dict[str, Any]:
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
        "rights": sorted(rights),
        # typed layers (numarataj.Yapi, …) are listed read-only until their own editing arrives
        "editable": Right.EDIT_DATA in rights and layer.is_feature_store,
        "attributes": attribute_fields(layer),
        "required": layer.required_attributes(),
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
