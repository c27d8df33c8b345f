"""/wfs: the WFS 2.0 endpoint (KVP GET, XML POST) for desktop GIS that does not speak OGC API.

It serves the OGC snapshot's collections (ogc/config.py: only published layers, only their
published fields), with the same agency tokens and refusals (geo/services/agency_access.py), the
same access log, and the same query code as OGC API Features; errors are ows:ExceptionReports."""

import time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from geo.errors import KentError, MethodNotAllowed, Unavailable
from geo.services import agency_access as access
from geo.sources.sql import Source

from .. import conf, snapshot
from ..query import fetch_page
from ..records import CATALOGUE_ID
from . import capabilities, describe, getfeature, post
from .ows import XML_TYPE, NotSupported, Params, exception_report, local_name

VERSIONS = {"2.0.0", "2.0.2"}




def service_url(request: HttpRequest) -> str:
    """The public URL of /wfs: beside the configured /ogc one, else from this request."""
    base = conf.base_url()
    if base.endswith("/ogc"):
        return base[:-4] + "/wfs"
    return f"{request.scheme}://{request.get_host()}/wfs"


def _feature_types(snap: snapshot.Snapshot) -> dict[str, Any]:
    return {slug: res for slug, res in snap.resources.items()
            if slug != CATALOGUE_ID and res["providers"][0]["type"] == "feature"}


class Handler:
    """One request against one snapshot; `slug` and `features` are what the access log records."""

    def __init__(self, request: HttpRequest, params: Params, who: access.Caller, snap: snapshot.Snapshot) -> None:
        self.request, self.params, self.who, self.snap = request, params, who, snap
        self.types = _feature_types(snap)
        self.slug = ""
        self.collection: dict[str, Any] | None = None
        self.features: int | None = None

    def readable(self, name: str, parameter: str = "typeNames") -> dict[str, Any]:
        slug = local_name(name)
        collection = self.types.get(slug)
        if collection is None:
            raise KentError(f"Bilinmeyen detay türü: '{slug[:80]}'. (Unknown feature type.)", parameter=parameter)
        self.slug, self.collection = slug[:80], collection
        access.check(self.who, slug, collection)
        return collection

    def capabilities(self) -> HttpResponse:
        if self.who.error is not None:
            raise self.who.error
        visible = sorted(access.visible(self.who, self.types))
        doc = capabilities.document(service_url(self.request), self.snap.config, visible)
        return HttpResponse(doc.encode("utf-8"), content_type=XML_TYPE)

    def describe(self) -> HttpResponse:
        names = getfeature.type_names(self.params.get("typeNames") or self.params.get("typeName") or "")
        if not names:
            if self.who.error is not None:
                raise self.who.error
            names = sorted(access.visible(self.who, self.types))
        chosen = []
        for name in names:
            collection = self.readable(name)
            chosen.append((local_name(name), Source.from_data(collection["providers"][0]["data"]),
                           collection["kent"].get("geometry")))
        return HttpResponse(describe.schema(chosen).encode("utf-8"), content_type=XML_TYPE)

    def get_feature(self, req: getfeature.Request) -> HttpResponse:
        collection = self.readable(req.type_name)
        source = Source.from_data(collection["providers"][0]["data"])
        q = getfeature.query(req, source)
        page = fetch_page(q)
        snapshot.confirm(self.snap, page.stamp)
        self.features = 0 if q.hits else page.returned
        if req.geojson:
            return getfeature.as_geojson(page, q)
        url = service_url(self.request)
        schema_url = (f"{url}?service=WFS&version=2.0.0&request=DescribeFeatureType&typeNames="
                      f"kent:{self.slug}")
        following = (getfeature.next_url(url, dict(self.request.GET.items()), q, page)
                     if self.request.method != "POST" else None)
        return getfeature.as_gml(page, q, self.slug, collection["kent"].get("geometry"), schema_url, following)


def _check_service(params: Params) -> str:
    service = params.get("service")
    if service is not None and service.strip().upper() != "WFS":
        raise KentError("service WFS olmalı. (service must be WFS.)", parameter="service")
    operation = params.required("request")
    version = params.get("version")
    if version and operation.lower() != "getcapabilities" and version.strip() not in VERSIONS:
        raise KentError(f"Desteklenmeyen sürüm: {version[:20]}; yalnızca 2.0.0. (Only WFS 2.0.0.)",
                        parameter="version")
    return operation.lower()


def _dispatch(handler: Handler, operation: str, query: getfeature.Request | None) -> HttpResponse:
    if operation == "getcapabilities":
        return handler.capabilities()
    if operation == "describefeaturetype":
        return handler.describe()
    if operation == "getfeature":
        return handler.get_feature(query or getfeature.from_kvp(handler.params))
    raise NotSupported(f"Desteklenmeyen işlem: {operation[:40]}. (Operation not supported.)", parameter="request")


@csrf_exempt
def endpoint(request: HttpRequest) -> HttpResponse:
    started = time.perf_counter()
    who = access.caller(request)
    handler: Handler | None = None
    try:
        if request.method not in {"GET", "HEAD", "POST"}:
            raise MethodNotAllowed(f"{request.method} desteklenmiyor; WFS salt okunurdur. (Read-only service.)")
        if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            raise KentError("Parametreler NUL (0x00) karakteri içeremez. (Parameters cannot contain NUL.)")
        if request.method == "POST":
            params, query = post.read(request.body)
        else:
            params, query = Params(request.GET), None
        operation = _check_service(params)
        for _attempt in range(3):
            handler = Handler(request, params, who, snapshot.current())
            try:
                response = _dispatch(handler, operation, query)
                break
            except snapshot.Stale:
                continue
        else:
            raise Unavailable("Katman kaydı şu anda değişiyor; isteği yineleyin. (The registry is changing; retry.)")
    except KentError as e:
        response = exception_report(e)
    collection = handler.collection if handler else None
    if access.must_log(who, collection):
        access.log(who, request, handler.slug if handler else "", response.status_code,
                   handler.features if handler else None, started, time.perf_counter())
    return response
