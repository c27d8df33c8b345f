"""Who may read a layer's tiles. Public published layers are open with one query and nothing more.
Agency layers take the agency tokens of /ogc/ (geo.services.agency_access: the same tokens, 401/403 and
access log), so an agency's GIS reads tiles with the key it reads features with. A logged-in user
without a token, and every other layer, go through geo.services.permissions; no token ever opens
an internal or unpublished layer."""

import time
from collections.abc import Callable
from functools import cache, wraps

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from geo.errors import NotFound
from geo.models import AccessLevel, Layer, Right
from geo.services import agency_access as agency
from geo.services import permissions

# The fields a tile request needs: access, and what tiles.sources reads to write a vector tile's
# SQL. Tiles are Kent's hottest path, and compiling an ORM query costs more than running this one,
# so the lookup is a fixed SQL string and Model.from_db (Django's own row loader) builds the Layer;
# any other field loads on first use with a query of its own (the style, on a render).
TILE_FIELDS = {"id", "slug", "source", "source_filter", "attribute_schema", "geometry_family", "access_level",
               "published", "group_id", "updated_at"}
AGENCY_CALLER = "_kent_tile_agency_caller"  # set on a request that went the token way: it is logged


@cache
def _lookup() -> tuple[str, list[str], list]:
    fields = [f for f in Layer._meta.concrete_fields if f.attname in TILE_FIELDS]  # from_db wants model order
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"SELECT {columns} FROM {connection.ops.quote_name(Layer._meta.db_table)} WHERE slug = %s"
    # from_db takes database values as they are: the JSON fields' own converters parse them first
    converters = [getattr(f, "from_db_value", None) for f in fields]
    return sql, [f.attname for f in fields], converters


def layer_by_slug(slug: str) -> Layer | None:
    sql, names, converters = _lookup()
    with connection.cursor() as cur:
        cur.execute(sql, [slug])
        row = cur.fetchone()
    if row is None:
        return None
    values = [v if conv is None else conv(v, None, connection) for conv, v in zip(converters, row, strict=True)]
    return Layer.from_db(connection.alias, names, values)


def readable_layer(request: HttpRequest, slug: str) -> Layer:
    """The layer named by slug if this request may view it; 404, 401 or 403 otherwise."""
    layer = layer_by_slug(slug)
    if layer is None:
        raise NotFound(_("'{slug}' adında bir katman yok. (No layer named '{slug}'.)").format(slug=slug))
    if is_public(layer):
        return layer
    if agency.token_of(request) is not None or (is_agency(layer) and not request.user.is_authenticated):
        who = agency.caller(request)
        setattr(request, AGENCY_CALLER, who)
        agency.check(who, slug, agency.layer_collection(layer))
        return layer
    permissions.require(request.user, layer, Right.VIEW)
    return layer


def is_public(layer: Layer) -> bool:
    return layer.published and layer.access_level == AccessLevel.PUBLIC


def is_agency(layer: Layer) -> bool:
    return layer.published and layer.access_level == AccessLevel.AGENCY


def logs_agency_reads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps a tile view taking `slug`: a request that went the token way gets its row in the
    agency access log, whatever its outcome (200, 204, 304, 401, 403)."""
    @wraps(view)
    def logged(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        started = time.perf_counter()
        response = view(request, *args, **kwargs)
        who = getattr(request, AGENCY_CALLER, None)
        if who is not None:
            agency.log(who, request, str(kwargs.get("slug", "")), response.status_code, None, started,
                       time.perf_counter())
        return response

    return logged

