"""OGC API – Features – Part 4: create (POST), replace (PUT), update (PATCH, JSON merge patch) and
delete items, for desktop GIS such as QGIS.

Every write goes through the layer's editing backend (`spec_for(layer).editing`), the one the web
editor uses, so rights, schema validation, geometry repair, history (with the user; the token is
named in the change's comment) and tile-cache invalidation are the same. Optimistic locking is
HTTP's own: an item's `ETag` is its row version, and PUT/PATCH/DELETE must send it back in
`If-Match` (428 without it, 412 when someone saved in between). Callers are people, never
agencies: a personal token (`Authorization: Bearer kpat_…`) or HTTP Basic over TLS
(`geo.services.user_tokens`); session cookies are not accepted on these CSRF-exempt views."""

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db import models
from django.http import HttpRequest, HttpResponse

from geo.editor import geojson
from geo.editor.backends import EditingBackend, backend_for
from geo.errors import (
    Conflict,
    KentError,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
)
from geo.models import Layer, Right
from geo.services import agency_access as access
from geo.services import history, permissions, user_tokens
from geo.sources.sql import Source

from . import snapshot
from .http import base_url, error, preflight

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
]
GEOJSON = "application/geo+json"
ITEM_WRITES = ("PUT", "PATCH", "DELETE")


@dataclass
class Target:
    """The layer a write goes to, who writes, through which backend, and what OGC publishes of it."""

    layer: Layer
    backend: EditingBackend
    credentials: user_tokens.Credentials
    published: set[str]


def etag(version: Any) -> str | None:
    """The strong entity tag of a row version (None for rows that keep no version)."""
    return None if version is None else f'"{version}"'


def is_create(request: HttpRequest) -> bool:
    """A POST to /items is a new feature (GeoJSON) or a CQL2 JSON search; the media type or the
    body's `type` tells them apart. Bodies that are not UTF-8 JSON stay searches (and a 400 there)."""
    if request.content_type == GEOJSON:
        return True
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RequestDataTooBig):
        return False
    return isinstance(body, dict) and body.get("type") == "Feature"


def _target(snap: snapshot.Snapshot, request: HttpRequest, slug: str) -> Target:
    collection = snap.resources.get(slug)
    if collection is None:
        raise NotFound(f"Koleksiyon bulunamadı: '{slug[:80]}'. (Collection not found.)", collection=slug[:80])
    provider = collection["providers"][0]
    layer_id = collection.get("kent", {}).get("layer_id")
    if provider["type"] != "feature" or layer_id is None:
        raise MethodNotAllowed(f"'{slug}' koleksiyonu düzenlenemez. (This collection cannot be edited.)")
    credentials = user_tokens.authenticate(request)
    if credentials is None:
        raise NotAuthenticated("Düzenlemek için kişisel erişim anahtarı (Authorization: Bearer kpat_…) ya da "
                               "HTTPS üzerinden HTTP Basic gönderin. (Send a personal token or HTTP Basic "
                               "over HTTPS to edit.)", collection=slug)
    layer = Layer.objects.select_related("theme").get(pk=layer_id)
    permissions.require(credentials.user, layer, Right.EDIT_DATA)
    backend = backend_for(layer)
    if backend is None:
        raise MethodNotAllowed(f"'{slug}' katmanı tipli bir modelden ({layer.source}) gelir ve henüz düzenleme "
                       "arka ucu yok; şimdilik salt okunurdur. (This layer's source has no editing backend "
                       "yet: read-only.)", collection=slug, source=layer.source)
    return Target(layer, backend, credentials, set(Source.from_data(provider["data"]).fields))


def _body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        raise PayloadTooLarge("İstek gövdesi çok büyük. (The request body is too large.)") from None


def _expected_version(request: HttpRequest, row: models.Model) -> int:
    """The version named by If-Match (`"3"`; a weak `W/"3"` is read the same). Without one the
    edit is refused (428), unless the deployment lets clients that send none write
    (`KENT_OGC_IF_MATCH = "optional"`: QGIS's OAPIF provider sends no If-Match today), and then the
    row's current version stands in: the last writer wins, and history records it as usual."""
    raw = request.META.get("HTTP_IF_MATCH", "").strip()
    if (not raw or raw == "*") and getattr(settings, "KENT_OGC_IF_MATCH", "required") == "optional":
        return int(getattr(row, "version", 0) or 0)
    if not raw or raw == "*":
        raise PreconditionRequired("Değiştirmek ya da silmek için detayın ETag değerini If-Match başlığıyla "
                                   "gönderin. (Send the item's ETag in If-Match.)")
    tag = raw.split(",")[0].strip().removeprefix("W/").strip('"')
    try:
        return int(tag)
    except ValueError:
        raise PreconditionFailed("If-Match bu detayın hiçbir sürümüne uymuyor. (If-Match matches no version "
                                 "of this item.)", if_match=raw[:40]) from None


def _row(target: Target, identifier: str) -> models.Model:
    try:
        return target.layer.rows().get(pk=int(identifier))
    except (ValueError, ObjectDoesNotExist):
        raise NotFound(f"'{target.layer.slug}' koleksiyonunda {identifier[:40]} kimlikli detay yok. "
                       "(Feature not found.)") from None


def _check_version(row: models.Model, expected: int) -> None:
    current = getattr(row, "version", None)
    if current is not None and current != expected:
        raise PreconditionFailed("Bu detay siz düzenlerken başka biri tarafından değiştirildi; yeniden okuyun. "
                                 "(Someone else saved this item meanwhile; read it again.)",
                                 current=etag(current), sent=etag(expected))


def _stale_as_412(e: Conflict) -> KentError:
    """A backend's optimistic-lock conflict (under its row lock) is HTTP's failed precondition."""
    if "current_version" in e.detail:
        return PreconditionFailed(e.message, current=etag(e.detail["current_version"]))
    return e


def _answer(request: HttpRequest, target: Target, slug: str, row: models.Model, repair: str,
            status: int) -> HttpResponse:
    """The written item as OGC publishes it, with its ETag, Location and the geometry repair note."""
    body = geojson.to_feature(row, target.layer, shown=target.published)
    body["repair"] = repair or None
    href = f"{base_url(request)}/collections/{slug}/items/{quote(str(row.pk), safe='')}"
    body["links"] = [{"rel": "self", "type": GEOJSON, "href": f"{href}?f=json"}]
    response = HttpResponse(json.dumps(body, ensure_ascii=False, default=str), status=status, content_type=GEOJSON)
    tag = etag(getattr(row, "version", None))
    if tag:
        response["ETag"] = tag
    if status == 201:
        response["Location"] = href
    return response


def _write(request: HttpRequest, slug: str, identifier: str | None) -> HttpResponse:
    snap = snapshot.current()
    target = _target(snap, request, slug)
    user = target.credentials.user
    if request.method == "POST":
        incoming = geojson.parse_feature(_body(request), geometry_required=True)
        with history.noted(target.credentials.note()):
            saved = target.backend.create(target.layer, incoming.geometry, incoming.properties or {}, user=user)
        return _answer(request, target, slug, saved.row, saved.repair, 201)
    row = _row(target, identifier or "")
    expected = _expected_version(request, row)
    _check_version(row, expected)
    try:
        if request.method == "DELETE":
            with history.noted(target.credentials.note()):
                target.backend.delete(target.layer, row.pk, version=expected, user=user)
            return HttpResponse(status=204)
        incoming = geojson.parse_feature(_body(request), geometry_required=request.method == "PUT")
        current = target.backend.properties(row)
        if request.method == "PUT":  # attributes OGC does not publish (personal, internal) are kept
            kept = {k: v for k, v in current.items() if k not in target.published}
            properties: dict[str, Any] | None = kept | (incoming.properties or {})
        elif incoming.properties is not None:  # JSON merge patch (RFC 7396): null removes a key
            merged = current | incoming.properties
            properties = {k: v for k, v in merged.items() if v is not None}
        else:
            properties = None
        with history.noted(target.credentials.note()):
            saved = target.backend.update(target.layer, row.pk, version=expected, user=user,
                                          geom=incoming.geometry, properties=properties)
    except Conflict as e:
        raise _stale_as_412(e) from e
    return _answer(request, target, slug, saved.row, saved.repair, 200)


def write(request: HttpRequest, slug: str, identifier: str | None = None) -> HttpResponse:
    """Run one Part 4 write; errors leave as OGC exceptions, each request lands in the access log."""
    started = time.perf_counter()
    try:
        response = _write(request, slug, identifier)
    except ObjectDoesNotExist:
        response = error(NotFound("Bulunamadı. (Not found.)"), request)
    except KentError as e:
        response = error(e, request)
        if e.status == 401:
            response["WWW-Authenticate"] = user_tokens.CHALLENGE
    who = access.caller(request)
    access.log(who, request, slug, response.status_code, None, started, time.perf_counter())
    return response


def current_etag(snap: snapshot.Snapshot, slug: str, identifier: str) -> str | None:
    """The ETag of one item read through OGC (its row version), None if the row keeps none."""
    layer_id = snap.resources[slug].get("kent", {}).get("layer_id")
    layer = Layer.objects.filter(pk=layer_id).first() if layer_id is not None else None
    if layer is None or not any(f.name == "version" for f in layer.source_model()._meta.concrete_fields):
        return None
    try:
        number = int(identifier)
    except ValueError:
        return None
    return etag(layer.rows().filter(pk=number).values_list("version", flat=True).first())


def options(request: HttpRequest, slug: str, item: bool) -> HttpResponse:
    """OPTIONS: the methods this caller may use here (QGIS reads `Allow` to offer editing), and
    the CORS preflight for browsers."""
    allowed = ["GET", "HEAD", "OPTIONS", *([] if item else ["POST"])]
    if item and user_tokens.sends_credentials(request):
        try:
            _target(snapshot.current(), request, slug)
            allowed += ITEM_WRITES
        except KentError:
            pass
    response = preflight(request)
    response["Allow"] = ", ".join(allowed)
    return response
