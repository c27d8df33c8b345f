"""Kent's OGC endpoints: thin views over pygeoapi's API functions, with the registry snapshot,
access rules, access log and CORS applied in one place (`_serve`). pygeoapi's own Django views are
not used: they build a new API object (and re-read the configuration) on every request."""

import time
from collections.abc import Callable
from typing import Any

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pygeoapi.util import render_j2_template

from geo.errors import KentError, MethodNotAllowed, NotFound, Unavailable
from geo.services import agency_access as access
from geo.sources.sql import Source

from . import catalogue, fastpath, snapshot, writes
from .http import allow_cors, api_request, base_url, error, output_format, preflight, respond
from .params import ITEM_PARAMS, parse_items, refuse_unknown
from .provider import returned_count
from .records import CATALOGUE_ID
from .tilematrixsets import CONFORMANCE as TILES_CONFORMANCE
from .tilematrixsets import with_tiling_schemes

Handler = Callable[[snapshot.Snapshot, Any, str], tuple[HttpResponse, int | None]]

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
    "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/html",
    *TILES_CONFORMANCE,
    *writes.CONFORMANCE,
]


def _serve(request: HttpRequest, handler: Handler, slug: str | None = None, post: bool = False,
           fast: bool = False) -> HttpResponse:
    """Snapshot, caller, access check, the handler, then access log and CORS. With `fast` the
    cached snapshot is used unverified and the handler confirms it (`snapshot.confirm`/`check`);
    if the registry moved meanwhile the answer is dropped and the request runs again."""
    started = time.perf_counter()
    if request.method == "OPTIONS":
        return preflight(request)
    if request.method not in ({"GET", "HEAD", "POST"} if post else {"GET", "HEAD"}):
        response = error(MethodNotAllowed(f"{request.method} bu adreste desteklenmiyor. (Method not allowed "
                                          "here.)"), request)
        response["Allow"] = "GET, HEAD, OPTIONS" + (", POST" if post else "")
        return response
    if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
        # no OGC parameter holds a NUL, and PostgreSQL text (queries, the access log) cannot
        return error(KentError("Parametreler NUL (0x00) karakteri içeremez. (Parameters cannot contain NUL "
                               "characters.)"), request)
    who = access.caller(request)
    for attempt in range(3):
        snap = snapshot.current(verify=not fast or attempt > 0)
        collection = snap.resources.get(slug) if slug is not None else None
        api = snap.api(base_url(request))
        features: int | None = None
        returned_count.set(None)
        try:
            if slug is not None and collection is None:
                raise NotFound(f"Koleksiyon bulunamadı: '{slug[:80]}'. (Collection not found.)",
                               collection=slug[:80])
            if collection is not None:
                access.check(who, slug or "", collection)
            elif who.error is not None:
                raise who.error
            response, features = handler(snap, who, slug or "")
        except snapshot.Stale:
            continue
        except KentError as e:
            if fast and attempt == 0:  # a refusal must not rest on an unconfirmed snapshot
                try:
                    snapshot.check(snap)
                except snapshot.Stale:
                    continue
            response = error(e, request, api)
        break
    else:  # the registry changed under three attempts in a row
        response = error(Unavailable("Katman kaydı şu anda değişiyor; isteği yineleyin. (The registry is changing; "
                              "retry.)"), request)
    if features is None and response.status_code == 200:
        features = returned_count.get()
    if access.must_log(who, collection):
        access.log(who, request, slug or "", response.status_code, features, started, time.perf_counter())
    if collection is None or collection.get("kent", {}).get("access") == "public":
        allow_cors(request, response)
    return response


def _pygeoapi(request: HttpRequest, snap: snapshot.Snapshot, function: Callable[..., Any], *args: Any,
              visible: set[str] | None = None, drop_filter: bool = False) -> HttpResponse:
    api = snap.api(base_url(request))
    if visible is not None:
        api = snapshot.restricted_api(api, visible)
    return respond(function(api, api_request(request, api, drop_filter), *args))


def _by_pygeoapi(request: HttpRequest, function: Callable[..., Any], per_collection: bool = True) -> Handler:
    """A handler that is just pygeoapi's API function (given the collection id when it takes one)."""
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        return _pygeoapi(request, snap, function, *([slug] if per_collection else [])), None

    return handle


@csrf_exempt
def landing(request: HttpRequest) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        return with_tiling_schemes(_pygeoapi(request, snap, core_api.landing_page), base_url(request)), None

    return _serve(request, handle)


@csrf_exempt
def conformance(request: HttpRequest) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        if output_format(request) == "html":
            api = snap.api(base_url(request))
            req = api_request(request, api)
            html = render_j2_template(api.tpl_config, api.config["server"]["templates"], "conformance.html",
                                      {"conformsTo": CONFORMANCE}, req.locale)
            return HttpResponse(html, content_type="text/html; charset=utf-8"), None
        return JsonResponse({"conformsTo": CONFORMANCE}), None

    return _serve(request, handle)


@csrf_exempt
def openapi(request: HttpRequest) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        if output_format(request) == "html":
            return _pygeoapi(request, snap, core_api.openapi_), None
        doc = snap.openapi_document(base_url(request), access.visible(who, snap.resources))
        return JsonResponse(doc, content_type="application/vnd.oai.openapi+json;version=3.0"), None

    return _serve(request, handle)


@csrf_exempt
def collections(request: HttpRequest) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        visible = set(access.visible(who, snap.resources))
        return _pygeoapi(request, snap, core_api.describe_collections, visible=visible), None

    return _serve(request, handle)


@csrf_exempt
def collection(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, _by_pygeoapi(request, core_api.describe_collections), slug)


@csrf_exempt
def queryables(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, _by_pygeoapi(request, itemtypes_api.get_collection_queryables), slug)


@csrf_exempt
def schema(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, _by_pygeoapi(request, core_api.get_collection_schema), slug)


def _is_features(snap: snapshot.Snapshot, slug: str) -> bool:
    return slug != CATALOGUE_ID and snap.resources[slug]["providers"][0]["type"] == "feature"


@csrf_exempt
def items(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return writes.options(request, slug, item=False)
    if request.method == "POST" and writes.is_create(request):
        return writes.write(request, slug)

    def handle(snap: snapshot.Snapshot, who: Any, s: str) -> tuple[HttpResponse, int | None]:
        if _is_features(snap, s) and output_format(request) == "json":
            return fastpath.items(request, snap, base_url(request), s)
        snapshot.check(snap)
        body = request.body if request.method == "POST" else None
        if s == CATALOGUE_ID:  # parameters and filter checked, the filter applied, by Kent
            with catalogue.filtering(request.GET, body):
                return _pygeoapi(request, snap, itemtypes_api.get_collection_items, s, drop_filter=True), None
        if _is_features(snap, s):  # HTML and JSON-LD through pygeoapi; parameters checked the same way first
            parse_items(request.GET, Source.from_data(snap.resources[s]["providers"][0]["data"]), body)
        return _pygeoapi(request, snap, itemtypes_api.get_collection_items, s), None

    return _serve(request, handle, slug, post=True, fast=True)


@csrf_exempt
def item(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return writes.options(request, slug, item=True)
    if request.method in writes.ITEM_WRITES:
        return writes.write(request, slug, identifier)

    def handle(snap: snapshot.Snapshot, who: Any, s: str) -> tuple[HttpResponse, int | None]:
        refuse_unknown(request.GET, catalogue.ITEM_PARAMS if s == CATALOGUE_ID else ITEM_PARAMS)
        if _is_features(snap, s) and output_format(request) == "json":
            response = fastpath.item(request, snap, base_url(request), s, identifier)
            tag = writes.current_etag(snap, s, identifier)
            if tag:  # the version an editor sends back in If-Match
                response["ETag"] = tag
            return response, 1
        snapshot.check(snap)
        return _pygeoapi(request, snap, itemtypes_api.get_collection_item, s, identifier), None

    return _serve(request, handle, slug, fast=True)
