"""GeoJSON items and single features without pygeoapi's per-request work.

Measured in-process (bench/README.md): a page of 1,000 buildings takes ~16 ms through pygeoapi's
get_collection_items with Kent's provider (the database's JSON text is decoded into dicts and
encoded again) and ~6.7 ms here, where the page text from PostGIS is wrapped with the links and
counts and sent as is. Only JSON takes this path; HTML and JSON-LD pages go through pygeoapi with
the same provider SQL."""

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

from geo.errors import NotFound
from geo.sources.sql import Source

from . import crs as ogc_crs
from . import snapshot
from .http import language
from .params import parse_items
from .query import FeatureQuery, fetch_item, fetch_page

GEOJSON = "application/geo+json"
TITLES = {
    "tr": {"self": "Bu belge (GeoJSON)", "jsonld": "Bu belge (JSON-LD)", "html": "Bu belge (HTML)",
           "next": "Sonraki sayfa", "prev": "Önceki sayfa"},
    "en": {"self": "This document as GeoJSON", "jsonld": "This document as RDF (JSON-LD)",
           "html": "This document as HTML", "next": "Items (next)", "prev": "Items (prev)"},
}


def _query_string(params: list[tuple[str, str]]) -> str:
    return "".join(f"&{quote(k, safe='')}={quote(v, safe=',')}" for k, v in params)


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _response(body: str, crs_uri: str, lang: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs_uri}>"
    response["Content-Language"] = lang
    return response


def items(request: HttpRequest, snap: snapshot.Snapshot, base: str, slug: str) -> tuple[HttpResponse, int]:
    """The items page as GeoJSON, and how many features it holds (Stale if the registry moved)."""
    collection = snap.resources[slug]
    source = Source.from_data(collection["providers"][0]["data"])
    body = request.body if request.method == "POST" else None
    req = parse_items(request.GET, source, body)
    q = req.query
    page = fetch_page(q)
    snapshot.confirm(snap, page.stamp)
    lang = language(request)
    titles = TITLES[lang]
    uri = f"{base}/collections/{slug}/items"
    qs = _query_string(req.link_params)
    links: list[dict[str, str]] = [
        {"type": GEOJSON, "rel": "self", "title": titles["self"], "href": f"{uri}?f=json{qs}&offset={q.offset}"},
        {"type": "application/ld+json", "rel": "alternate", "title": titles["jsonld"],
         "href": f"{uri}?f=jsonld{qs}&offset={q.offset}"},
        {"type": "text/html", "rel": "alternate", "title": titles["html"],
         "href": f"{uri}?f=html{qs}&offset={q.offset}"},
    ]
    full = not q.hits and page.returned == q.limit and (page.matched is None or page.matched > q.offset + q.limit)
    if full:
        links.append({"type": GEOJSON, "rel": "next", "title": titles["next"],
                      "href": f"{uri}?f=json{qs}&offset={q.offset + q.limit}"})
    if q.offset > 0:
        links.append({"type": GEOJSON, "rel": "prev", "title": titles["prev"],
                      "href": f"{uri}?f=json{qs}&offset={max(0, q.offset - q.limit)}"})
    links.append({"type": "application/json", "rel": "collection", "title": collection["title"][lang],
                  "href": f"{base}/collections/{slug}"})
    tail: dict[str, Any] = {"numberReturned": page.returned}
    if page.matched is not None:
        tail["numberMatched"] = page.matched
    tail["timeStamp"] = _timestamp()
    tail["links"] = links
    body_text = ('{"type":"FeatureCollection","features":[' + page.features_json + "],"
                 + json.dumps(tail, ensure_ascii=False)[1:])
    response = _response(body_text, q.out_crs.uri, lang)
    if req.clamped_from is not None:
        response["X-Kent-Limit-Clamped"] = f"{req.clamped_from} -> {q.limit}"
    return response, page.returned


def item(request: HttpRequest, snap: snapshot.Snapshot, base: str, slug: str, identifier: str) -> HttpResponse:
    """One feature as GeoJSON (crs is its only parameter besides f and lang)."""
    collection = snap.resources[slug]
    source = Source.from_data(collection["providers"][0]["data"])
    q = FeatureQuery(source=source, out_crs=ogc_crs.parse(request.GET.get("crs"), "crs"))
    text, stamp = fetch_item(q, identifier)
    snapshot.confirm(snap, stamp if stamp is not None else snap.stamp)
    if text is None:
        raise NotFound(f"'{slug}' koleksiyonunda {identifier[:40]} kimlikli detay yok. (Feature not found.)")
    lang = language(request)
    titles = TITLES[lang]
    uri = f"{base}/collections/{slug}/items/{quote(identifier, safe='')}"
    links = [
        {"type": GEOJSON, "rel": "self", "title": titles["self"], "href": f"{uri}?f=json"},
        {"type": "application/ld+json", "rel": "alternate", "title": titles["jsonld"], "href": f"{uri}?f=jsonld"},
        {"type": "text/html", "rel": "alternate", "title": titles["html"], "href": f"{uri}?f=html"},
        {"type": "application/json", "rel": "collection", "title": collection["title"][lang],
         "href": f"{base}/collections/{slug}"},
    ]
    return _response(text[:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}", q.out_crs.uri, lang)
