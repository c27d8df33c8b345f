"""Who may read a layer's tiles: public published layers are open with one query; everything else
goes through geo.services.permissions, the one place rights are decided."""

from functools import cache

from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _

from geo.errors import NotFound
from geo.models import AccessLevel, Layer, Right
from geo.services import permissions

# The fields a tile request needs. Tiles are Kent's hottest path, and compiling an ORM query costs
# more than running this one, so the lookup is a fixed SQL string and Model.from_db (Django's own
# row loader) builds the Layer; other fields (the style) load on first use, i.e. on a render.
TILE_FIELDS = {"id", "slug", "source", "geometry_family", "access_level", "published", "group_id"}


@cache
def _lookup() -> tuple[str, list[str]]:
    fields = [f for f in Layer._meta.concrete_fields if f.attname in TILE_FIELDS]  # from_db wants model order
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"SELECT {columns} FROM {connection.ops.quote_name(Layer._meta.db_table)} WHERE slug = %s"
    return sql, [f.attname for f in fields]


def layer_by_slug(slug: str) -> Layer | None:
    sql, names = _lookup()
    with connection.cursor() as cur:
        cur.execute(sql, [slug])
        row = cur.fetchone()
    return Layer.from_db(connection.alias, names, list(row)) if row else None


def readable_layer(request: HttpRequest, slug: str) -> Layer:
    """The layer named by slug if this request may view it; 404, 401 or 403 otherwise."""
    layer = layer_by_slug(slug)
    if layer is None:
        raise NotFound(_("'{slug}' adında bir katman yok. (No layer named '{slug}'.)").format(slug=slug))
    if is_public(layer):
        return layer
    permissions.require(request.user, layer, Right.VIEW)
    return layer


def is_public(layer: Layer) -> bool:
    return layer.published and layer.access_level == AccessLevel.PUBLIC
