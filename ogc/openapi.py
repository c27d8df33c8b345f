"""The OpenAPI document made self-contained: pygeoapi's refers to schemas on schemas.opengis.net,
GitHub and geojson.org, which an air-gapped municipal network cannot reach (and validators and
Swagger-like viewers would try to). Each outside reference is replaced by a small local component
describing the same thing, and tags for APIs Kent does not serve are dropped. Kent's own additions
(resultType, OGC API Tiles) are described with local components too."""

import copy
import json
from typing import Any

GEOJSON_TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                 "GeometryCollection"]

LINK = {"type": "object", "required": ["href"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"},
    "title": {"type": "string"}, "hreflang": {"type": "string"}}}
EXCEPTION = {"type": "object", "required": ["code"], "properties": {
    "code": {"type": "string"}, "type": {"type": "string"}, "description": {"type": "string"},
    "detail": {"type": "object"}}}
GEOMETRY = {"type": "object", "nullable": True, "required": ["type"], "properties": {
    "type": {"type": "string", "enum": GEOJSON_TYPES}, "coordinates": {"type": "array", "items": {}}}}
FEATURE = {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
    "type": {"type": "string", "enum": ["Feature"]}, "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    "geometry": {"$ref": "#/components/schemas/kentGeometry"},
    "properties": {"type": "object", "nullable": True},
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/kentLink"}}}}
FEATURES = {"type": "object", "required": ["type", "features"], "properties": {
    "type": {"type": "string", "enum": ["FeatureCollection"]},
    "features": {"type": "array", "items": {"$ref": "#/components/schemas/kentFeature"}},
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/kentLink"}},
    "timeStamp": {"type": "string", "format": "date-time"},
    "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0}}}
LINKED = {"type": "object", "required": ["links"], "properties": {
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/kentLink"}}}}

SCHEMAS: dict[str, Any] = {"kentLink": LINK, "kentException": EXCEPTION, "kentGeometry": GEOMETRY,
                           "kentFeature": FEATURE, "kentFeatures": FEATURES, "kentLinked": LINKED,
                           "kentCql2": {"type": "object", "description": "CQL2 JSON (OGC 21-065)"}}


def _json_response(description: str, schema: str, media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


RESPONSES: dict[str, Any] = {
    "kentLandingPage": _json_response("Giriş sayfası (landing page)", "kentLinked"),
    "kentCollection": _json_response("Koleksiyon (collection)", "kentLinked"),
    "kentFeatures": _json_response("Detaylar (features)", "kentFeatures", "application/geo+json"),
    "kentFeature": _json_response("Detay (feature)", "kentFeature", "application/geo+json"),
    "kentInvalidParameter": _json_response("Geçersiz parametre (invalid parameter)", "kentException"),
    "kentNotFound": _json_response("Bulunamadı (not found)", "kentException"),
    "kentServerError": _json_response("Sunucu hatası (server error)", "kentException"),
}
PARAMETERS: dict[str, Any] = {
    "kentFeatureId": {"name": "featureId", "in": "path", "required": True, "description": "Detay kimliği",
                      "schema": {"type": "string"}},
    "kentQ": {"name": "q", "in": "query", "required": False, "style": "form", "explode": False,
              "description": "Serbest metin araması (virgülle ayrılmış kelimeler)",
              "schema": {"type": "array", "items": {"type": "string"}}},
    "kentDatetime": {"name": "datetime", "in": "query", "required": False, "style": "form", "explode": False,
                     "description": "RFC 3339 an ya da aralık: 2024-05-01T00:00:00Z, 2024-01-01/2024-12-31",
                     "schema": {"type": "string"}},
    "kentSortby": {"name": "sortby", "in": "query", "required": False, "style": "form", "explode": False,
                   "description": "Sıralama: +ad,-kat_ust", "schema": {"type": "array", "items": {"type": "string"}}},
}
REPLACE = {
    "featureId": "#/components/parameters/kentFeatureId",
    "parameters/datetime": "#/components/parameters/kentDatetime", "q.yaml": "#/components/parameters/kentQ",
    "sortby.yaml": "#/components/parameters/kentSortby", "cql2.json": "#/components/schemas/kentCql2",
    "Geometry.json": "#/components/schemas/kentGeometry", "exception.yaml": "#/components/schemas/kentException",
    "schemas/link": "#/components/schemas/kentLink",
    **{f"responses/{n}": f"#/components/responses/kent{n}" for n in
       ("LandingPage", "Collection", "Features", "Feature", "InvalidParameter", "NotFound", "ServerError")},
}
SERVED_TAGS = {"server", "features", "records"}


RESULT_TYPE = {"name": "resultType", "in": "query", "required": False, "style": "form", "explode": False,
               "description": "hits: yalnızca kesin numberMatched (detay yok). Sayfalarda numberMatched 10.000 "
                              "satıra kadar verilir; büyük katmanlarda sayıyı bununla isteyin.",
               "schema": {"type": "string", "enum": ["results", "hits"], "default": "results"}}


def add_result_type(doc: dict[str, Any], collections: list[str]) -> dict[str, Any]:
    """Declare resultType=hits on the feature collections' items: GDAL asks for the count that way
    (and only if declared) when a page carried no numberMatched, instead of reading every page."""
    for slug in collections:
        operation = doc.get("paths", {}).get(f"/collections/{slug}/items", {}).get("get")
        if operation is not None:
            operation.setdefault("parameters", []).append(copy.deepcopy(RESULT_TYPE))
    return doc


MVT = "application/vnd.mapbox-vector-tile"
TILE_ZOOMS = "0–22"
TILE_SCHEMAS: dict[str, Any] = {
    "kentTilesets": {"type": "object", "required": ["tilesets"], "properties": {
        "tilesets": {"type": "array", "items": {"type": "object", "required": ["dataType", "crs", "links"]}},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/kentLink"}}}},
    "kentTileset": {"type": "object", "required": ["dataType", "crs", "links"], "properties": {
        "dataType": {"type": "string"}, "crs": {"type": "string"}, "tileMatrixSetURI": {"type": "string"},
        "tileMatrixSetLimits": {"type": "array", "items": {"type": "object"}},
        "layers": {"type": "array", "items": {"type": "object", "required": ["id", "dataType"]}},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/kentLink"}}}},
    "kentTileMatrixSets": {"type": "object", "required": ["tileMatrixSets"], "properties": {
        "tileMatrixSets": {"type": "array", "items": {"type": "object", "required": ["links"]}}}},
    "kentTileMatrixSet": {"type": "object", "required": ["crs", "tileMatrices"], "properties": {
        "id": {"type": "string"}, "uri": {"type": "string"}, "crs": {"type": "string"},
        "tileMatrices": {"type": "array", "items": {"type": "object"}}}},
}
TILE_RESPONSES: dict[str, Any] = {
    "kentTilesets": _json_response("Karo kümeleri (tilesets)", "kentTilesets"),
    "kentTileset": _json_response("Karo kümesi üstverisi (tileset metadata)", "kentTileset"),
    "kentTileMatrixSets": _json_response("Karo matris kümeleri (tile matrix sets)", "kentTileMatrixSets"),
    "kentTileMatrixSet": _json_response("Karo matris kümesi (tile matrix set)", "kentTileMatrixSet"),
    "kentTile": {"description": "Vektör karo (vector tile)",
                 "content": {MVT: {"schema": {"type": "string", "format": "binary"}}}},
    "kentEmptyTile": {"description": "Boş karo: bu karoda detay yok (empty tile)"},
}


def _path_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def _f_param(value: str) -> dict[str, Any]:
    return {"name": "f", "in": "query", "required": False, "style": "form", "explode": False,
            "schema": {"type": "string", "enum": [value], "default": value}}


TILE_PARAMETERS: dict[str, Any] = {
    "kentTileMatrixSetId": _path_param("tileMatrixSetId", "Karo matris kümesi (tile matrix set)",
                                       {"type": "string", "enum": ["WebMercatorQuad"]}),
    "kentTileMatrix": _path_param("tileMatrix", f"Yakınlaştırma düzeyi {TILE_ZOOMS} (tile matrix)", {"type": "string"}),
    "kentTileRow": _path_param("tileRow", "Karo satırı, y (tile row)", {"type": "integer", "minimum": 0}),
    "kentTileCol": _path_param("tileCol", "Karo sütunu, x (tile column)", {"type": "integer", "minimum": 0}),
    "kentJsonOnly": _f_param("json"),
    "kentMvt": _f_param("mvt"),
}


def _operation(tag: str, summary: str, operation_id: str, parameters: list[str],
               responses: dict[str, str]) -> dict[str, Any]:
    return {"get": {"tags": [tag], "summary": summary, "operationId": operation_id,
                    "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
                    "responses": {code: {"$ref": f"#/components/responses/{r}"} for code, r in responses.items()}}}


def add_tiles(doc: dict[str, Any], collections: list[str]) -> dict[str, Any]:
    """OGC API Tiles: the tile matrix sets, and each feature collection's tilesets list, tileset
    and tile, with the operationId suffixes of OGC API - Tiles, clause 14."""
    components = doc.setdefault("components", {})
    for kind, entries in (("schemas", TILE_SCHEMAS), ("responses", TILE_RESPONSES), ("parameters", TILE_PARAMETERS)):
        components.setdefault(kind, {}).update(copy.deepcopy(entries))
    errors = {"400": "kentInvalidParameter", "404": "kentNotFound", "500": "kentServerError"}
    paths = doc.setdefault("paths", {})
    paths["/tileMatrixSets"] = _operation("tiles", "Karo matris kümeleri (tile matrix sets)", "getTileMatrixSetsList",
                                          ["kentJsonOnly"], {"200": "kentTileMatrixSets", **errors})
    paths["/tileMatrixSets/{tileMatrixSetId}"] = _operation(
        "tiles", "Karo matris kümesi tanımı (tile matrix set)", "getTileMatrixSet",
        ["kentTileMatrixSetId", "kentJsonOnly"], {"200": "kentTileMatrixSet", **errors})
    for slug in collections:
        base = f"/collections/{slug}/tiles"
        paths[base] = _operation(slug, f"{slug}: vektör karo kümeleri (vector tilesets)",
                                 f"{slug}.collection.vector.getTileSetsList", ["kentJsonOnly"],
                                 {"200": "kentTilesets", **errors})
        paths[f"{base}/{{tileMatrixSetId}}"] = _operation(
            slug, f"{slug}: vektör karo kümesi üstverisi (vector tileset)", f"{slug}.collection.vector.getTileSet",
            ["kentTileMatrixSetId", "kentJsonOnly"], {"200": "kentTileset", **errors})
        paths[f"{base}/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"] = _operation(
            slug, f"{slug}: vektör karo, Mapbox Vector Tile (vector tile)", f"{slug}.collection.vector.getTile",
            ["kentTileMatrixSetId", "kentTileMatrix", "kentTileRow", "kentTileCol", "kentMvt"],
            {"200": "kentTile", "204": "kentEmptyTile", **errors})
    if not any(t.get("name") == "tiles" for t in doc.setdefault("tags", [])):
        doc["tags"].append({"name": "tiles", "description": "OGC API - Tiles (vektör karolar, vector tiles)"})
    return doc


SECURITY = [{"kentToken": []}, {"kentBasic": []}]
SECURITY_SCHEMES: dict[str, Any] = {
    "kentToken": {"type": "http", "scheme": "bearer",
                  "description": "Kişisel erişim anahtarı, kpat_… (/hesap/anahtarlar/). (Personal access token.)"},
    "kentBasic": {"type": "http", "scheme": "basic",
                  "description": "Kullanıcı adı ve parola; yalnızca HTTPS. (Username and password, HTTPS only.)"},
}
IF_MATCH = {"name": "If-Match", "in": "header", "required": True,
            "description": "Detayın okunduğu sürümün ETag değeri, ör. \"3\" (the item's ETag as read)",
            "schema": {"type": "string"}}
WRITE_RESPONSES: dict[str, Any] = {
    "kentWritten": {"description": "Yazılan detay, ETag başlığıyla (the item written, with its ETag)",
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                    "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/kentFeature"}}}},
    "kentCreated": {"description": "Eklendi; Location yeni detayın adresi (created)",
                    "headers": {"Location": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}}},
                    "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/kentFeature"}}}},
    "kentDeleted": {"description": "Silindi (deleted)"},
    **{f"kent{status}": _json_response(text, "kentException") for status, text in (
        (401, "Kimlik doğrulaması gerekli (authentication required)"),
        (403, "Bu katmanda düzenleme yetkiniz yok (no edit right on this layer)"),
        (405, "Katman salt okunur (read-only layer)"),
        (409, "Çakışma (conflict)"),
        (412, "Detay bu arada değişti: If-Match eski (stale If-Match)"),
        (428, "If-Match gerekli (If-Match required)"))},
}


def _write_operation(slug: str, summary: str, operation_id: str, ok: tuple[str, str], body: str | None,
                     item: bool) -> dict[str, Any]:
    refusals = ["400", "401", "403", "405", *(["404", "409", "412", "428"] if item else [])]
    responses = {ok[0]: {"$ref": f"#/components/responses/{ok[1]}"},
                 **{code: {"$ref": f"#/components/responses/kent{code}" if code not in {"400", "404"} else
                           f"#/components/responses/kent{'InvalidParameter' if code == '400' else 'NotFound'}"}
                    for code in refusals}}
    operation: dict[str, Any] = {"tags": [slug], "summary": summary, "operationId": operation_id,
                                 "security": copy.deepcopy(SECURITY), "responses": responses}
    if item:
        operation["parameters"] = [{"$ref": "#/components/parameters/kentFeatureId"}, copy.deepcopy(IF_MATCH)]
    if body is not None:
        operation["requestBody"] = {"required": True, "description": body, "content": {
            "application/geo+json": {"schema": {"$ref": "#/components/schemas/kentFeature"}}}}
    return operation


def add_writes(doc: dict[str, Any], collections: list[str]) -> dict[str, Any]:
    """OGC API Features Part 4 on the collections whose layers can be edited: POST adds a feature
    (GeoJSON, beside the CQL2 JSON search), PUT replaces, PATCH merges (RFC 7396), DELETE removes;
    the last three need If-Match. Who may write a given layer is decided per request (401/403)."""
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update(copy.deepcopy(SECURITY_SCHEMES))
    components.setdefault("responses", {}).update(copy.deepcopy(WRITE_RESPONSES))
    paths = doc.setdefault("paths", {})
    for slug in collections:
        items = paths.get(f"/collections/{slug}/items")
        item = paths.get(f"/collections/{slug}/items/{{featureId}}")
        if items is None or item is None:
            continue
        search = items.get("post")
        create = _write_operation(slug, f"{slug}: detay ekle (add a feature)", f"{slug}.createItem",
                                  ("201", "kentCreated"), "Eklenecek GeoJSON Feature (EPSG:4326)", False)
        if search is not None:  # one POST: a CQL2 JSON search or, as GeoJSON, a new feature
            search["requestBody"]["content"].update(create["requestBody"]["content"])
            search["responses"].update({k: v for k, v in create["responses"].items() if k != "400"})
            search["summary"] = f"{search.get('summary', slug)} / detay ekle (or add a feature, see media type)"
        else:
            items["post"] = create
        item["put"] = _write_operation(slug, f"{slug}: detayı değiştir (replace)", f"{slug}.replaceItem",
                                       ("200", "kentWritten"), "Detayın yeni hâli (GeoJSON Feature)", True)
        item["patch"] = _write_operation(slug, f"{slug}: detayı güncelle, JSON merge patch (update)",
                                         f"{slug}.updateItem", ("200", "kentWritten"),
                                         "Değişen üyeler; null bir özniteliği siler (changed members)", True)
        item["delete"] = _write_operation(slug, f"{slug}: detayı sil (delete)", f"{slug}.deleteItem",
                                          ("204", "kentDeleted"), None, True)
    return doc


def _local(ref: str) -> str:
    for tail, local in REPLACE.items():
        if ref.endswith(tail):
            return local
    raise ValueError(f"no local component for {ref}")


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (_local(v) if k == "$ref" and isinstance(v, str) and not v.startswith("#") else _rewrite(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


def self_contained(doc: dict[str, Any]) -> dict[str, Any]:
    out = _rewrite(copy.deepcopy(doc))
    components = out.setdefault("components", {})
    components.setdefault("schemas", {}).update(copy.deepcopy(SCHEMAS))
    components.setdefault("responses", {}).update(copy.deepcopy(RESPONSES))
    components.setdefault("parameters", {}).update(copy.deepcopy(PARAMETERS))
    for operations in out.get("paths", {}).values():
        for operation in operations.values():
            for code, response in (operation.get("responses") or {}).items():
                if "$ref" not in response:  # pygeoapi leaves the item schema's response undescribed
                    response.setdefault("description", f"HTTP {code}")
    collections = {p.split("/")[2] for p in out.get("paths", {}) if p.startswith("/collections/")}
    out["tags"] = [t for t in out.get("tags", []) if t["name"] in SERVED_TAGS | collections]
    leftover = [r for r in _refs(out) if not r.startswith("#")]
    if leftover:
        raise ValueError(f"outside references left: {leftover[:3]}")
    return out


def _refs(node: Any) -> list[str]:
    return [v for v in json.dumps(node).split('"$ref": "')[1:] for v in [v.split('"', 1)[0]]]
