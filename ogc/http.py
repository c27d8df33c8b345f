"""HTTP plumbing shared by the OGC views: base URL, output format, errors as OGC exceptions,
pygeoapi's (headers, status, content) as a Django response, and CORS for public resources."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from pygeoapi.api import API, APIRequest

from geo.errors import KentError

from . import conf
from . import crs as ogc_crs

CRS_PARAMS = ("crs", "bbox-crs", "filter-crs")
FILTER_PARAMS = ("filter", "filter-lang", "filter-crs")
JSON_TYPES = {"application/json", "application/geo+json", "*/*", "application/*"}


def base_url(request: HttpRequest) -> str:
    """The public URL of /ogc: the setting if given, else from this request's scheme and host."""
    return conf.base_url() or f"{request.scheme}://{request.get_host()}/ogc"


def output_format(request: HttpRequest) -> str:
    """'json', 'html', 'jsonld' or what `f` names; without `f`, the first known type in Accept."""
    f = (request.GET.get("f") or "").strip().lower()
    if f:
        return "json" if f in {"json", "geojson"} else f
    for part in request.META.get("HTTP_ACCEPT", "").split(","):
        media = part.split(";")[0].strip().lower()
        if media == "text/html":
            return "html"
        if media == "application/ld+json":
            return "jsonld"
        if media in JSON_TYPES:
            return "json"
    return "json"


def language(request: HttpRequest) -> str:
    lang = (request.GET.get("lang") or request.META.get("HTTP_ACCEPT_LANGUAGE", "tr")).strip().lower()
    return "en" if lang.startswith("en") else "tr"


def api_request(request: HttpRequest, api: API, drop_filter: bool = False) -> APIRequest:
    """pygeoapi's request object, with CRS parameters in their canonical URI form (Kent accepts
    'EPSG:5255' and friends; pygeoapi compares URIs as strings). With `drop_filter` the filter
    parameters and the POST body are left out: Kent applies that filter itself."""
    req = APIRequest.from_django(request, api.locales)
    params = request.GET.copy()
    if drop_filter:
        for name in FILTER_PARAMS:
            params.pop(name, None)
        req._data = b""
    for name in CRS_PARAMS:
        if name in params:
            params[name] = ogc_crs.parse(params[name], name).uri
    req._args = params
    return req


def respond(result: tuple[dict[str, Any], int, Any]) -> HttpResponse:
    headers, status, content = result
    response = HttpResponse(content, status=int(status))
    for key, value in headers.items():
        response[key] = value
    return response


def error(e: KentError, request: HttpRequest, api: API | None = None) -> HttpResponse:
    """An OGC exception: JSON {code, description}, or the HTML exception page for browsers."""
    if api is not None and output_format(request) == "html":
        headers, status, content = api.get_exception(e.status, {}, "html", e.code, e.message)
        return respond((headers, status, content))
    body = {"code": e.code, "type": e.code, "description": e.message, **({"detail": e.detail} if e.detail else {})}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=e.status,
                        content_type="application/json; charset=utf-8")


def allow_cors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Let configured browser origins read this (public) response."""
    origin = request.META.get("HTTP_ORIGIN", "").rstrip("/")
    allowed = conf.cors_origins()
    if origin and ("*" in allowed or origin in allowed):
        response["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
        response["Access-Control-Expose-Headers"] = "Content-Crs, Content-Language, X-Kent-Limit-Clamped"
        response["Vary"] = "Origin"
    return response


def preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, POST, OPTIONS"
    allow_cors(request, response)
    if response.has_header("Access-Control-Allow-Origin"):
        response["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
        response["Access-Control-Max-Age"] = "3600"
    return response
