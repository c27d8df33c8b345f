"""JSON API of the map editor: layer rows as GeoJSON, edits with optimistic locking, history and revert.

Every write goes through `geo.services` (validated, rights-checked, recorded); these views only
translate HTTP to those calls and back. Errors leave through `json_errors` with the same codes
everywhere. Writes are session-authenticated, so Django's CSRF check applies: the editor's
script sends the `X-CSRFToken` header."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from geo.editor import catalog, changes, geojson
from geo.editor.backends import EditingBackend, backend_for
from geo.errors import InvalidInput, NotAuthenticated, PayloadTooLarge
from geo.models import Change, Layer, Right
from geo.services import permissions
from geo.sources import shown_to

from .responses import json_errors

DEFAULT_MAX_FEATURES = 5000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
GEOJSON = "application/geo+json"


def _max_features() -> int:
    return int(getattr(settings, "KENT_EDITOR_MAX_FEATURES", DEFAULT_MAX_FEATURES))


def _dispatch(request: HttpRequest, handlers: dict[str, Callable[[], HttpResponse]]) -> HttpResponse:
    """Route by method; anything else is a JSON 405 naming the allowed methods."""
    handler = handlers.get(request.method or "")
    if handler is not None:
        return handler()
    response = JsonResponse({"code": "MethodNotAllowed",
                             "description": f"{request.method} bu adreste kullanılamaz. (Method not allowed.)"},
                            status=405)
    response["Allow"] = ", ".join(handlers)
    return response


def _positive_int(raw: str | None, name: str, default: int | None = None) -> int | None:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InvalidInput(f"'{name}' pozitif bir tam sayı olmalı. ('{name}' must be a positive integer.)",
                           **{name: raw})
    return value


def _body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        raise PayloadTooLarge("İstek gövdesi çok büyük. (The request body is too large.)") from None


def _layer(slug: str) -> Layer:
    return Layer.objects.select_related("theme").get(slug=slug)


def _editing_backend(request: HttpRequest, layer: Layer) -> EditingBackend:
    """Rights first (401/403), then the backend that writes this layer's source, if any."""
    permissions.require(request.user, layer, Right.EDIT_DATA)
    backend = backend_for(layer)
    if backend is None:
        raise InvalidInput(f"'{layer.slug}' katmanı tipli bir modelden ({layer.source}) gelir; düzenleyicide "
                           "şimdilik salt okunurdur. (Typed layers are read-only in the editor for now.)",
                           layer=layer.slug, source=layer.source)
    return backend


def _saved(row, layer: Layer, repair: str, status: int) -> JsonResponse:
    body = geojson.to_feature(row, layer)
    body["repair"] = repair or None
    response = JsonResponse(body, status=status, content_type=GEOJSON)
    if status == 201:
        response["Location"] = reverse("geo-feature-detail", args=[layer.slug, row.pk])
    return response


@json_errors
def editor_layers(request: HttpRequest) -> HttpResponse:
    """Layers the user may view, with rights, geometry family and the attribute form."""
    return _dispatch(request, {"GET": lambda: JsonResponse({"layers": catalog.visible_layers(request.user)})})


@json_errors
def layer_features(request: HttpRequest, slug: str) -> HttpResponse:
    layer = _layer(slug)

    def listing() -> HttpResponse:
        permissions.require(request.user, layer, Right.VIEW)
        bbox = geojson.parse_bbox(request.GET.get("bbox"))
        cap = _max_features()
        limit = min(_positive_int(request.GET.get("limit"), "limit", cap), cap)
        items, truncated = geojson.layer_features(layer, bbox, limit, shown_to(request.user, layer))
        return JsonResponse({"type": "FeatureCollection", "features": items, "numberReturned": len(items),
                             "limit": limit, "truncated": truncated,
                             "editable": catalog.is_editable(layer, permissions.rights_for(request.user).get(
                                 layer.pk, set()))},
                            content_type=GEOJSON)

    def create() -> HttpResponse:
        backend = _editing_backend(request, layer)
        incoming = geojson.parse_feature(_body(request), geometry_required=True)
        saved = backend.create(layer, incoming.geometry, incoming.properties or {}, user=request.user)
        return _saved(saved.row, layer, saved.repair, 201)

    return _dispatch(request, {"GET": listing, "POST": create})


@json_errors
def feature_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    layer = _layer(slug)

    def read() -> HttpResponse:
        permissions.require(request.user, layer, Right.VIEW)
        return JsonResponse(geojson.to_feature(layer.rows().get(pk=pk), layer, shown=shown_to(request.user, layer)),
                            content_type=GEOJSON)

    def update() -> HttpResponse:
        backend = _editing_backend(request, layer)
        incoming = geojson.parse_feature(_body(request), geometry_required=False)
        if incoming.version is None:
            raise InvalidInput("Güncelleme hangi sürümün düzenlendiğini belirtmeli ('version'). "
                               "(An update must say which version it edited.)")
        saved = backend.update(layer, pk, version=incoming.version, user=request.user, geom=incoming.geometry,
                               properties=incoming.properties)
        return _saved(saved.row, layer, saved.repair, 200)

    def delete() -> HttpResponse:
        backend = _editing_backend(request, layer)
        version = _positive_int(request.GET.get("version"), "version")
        if version is None:
            raise InvalidInput("Silme hangi sürümün silindiğini belirtmeli (?version=N). "
                               "(A delete must say which version it removes.)")
        backend.delete(layer, pk, version=version, user=request.user)
        return HttpResponse(status=204)

    return _dispatch(request, {"GET": read, "PUT": update, "DELETE": delete})


@json_errors
def layer_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Paged changes of a layer. Needs a login even for public layers: it names the editors."""
    layer = _layer(slug)

    def listing() -> HttpResponse:
        if not request.user.is_authenticated:
            raise NotAuthenticated("Geçmişi görmek için giriş yapmalısınız. (Log in to see the history.)")
        permissions.require(request.user, layer, Right.VIEW)
        size = min(_positive_int(request.GET.get("page_size"), "page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        page = changes.page_of(changes.layer_changes(layer), _positive_int(request.GET.get("page"), "page", 1),
                               size)
        return JsonResponse({"layer": layer.slug, "count": page.paginator.count, "page": page.number,
                             "pages": page.paginator.num_pages, "page_size": size,
                             "can_revert": permissions.can(request.user, layer, Right.EDIT_DATA),
                             "results": [changes.to_dict(c) for c in page]})

    return _dispatch(request, {"GET": listing})


@json_errors
def revert_change(request: HttpRequest, change_id: int) -> HttpResponse:
    def revert() -> HttpResponse:
        change = Change.objects.select_related("layer").get(pk=change_id)
        return JsonResponse(changes.to_dict(changes.revert_change(change, request.user)), status=201)

    return _dispatch(request, {"POST": revert})
