"""pygeoapi's configuration, generated from the layer registry (never a hand-kept YAML).

A collection per published layer whose access level is public or agency (internal layers are never
configured, so no request can reach them), plus the metadata catalogue. The configuration is
built without a server URL; `for_base_url` stamps one in, because links are absolute and a
deployment may be reached under several host names."""

import copy
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from geo.models import AccessLevel, Layer
from geo.sources import Audience, NotPublishable, describe, published_levels
from geo.sources.sql import Source

from . import conf
from . import crs as ogc_crs
from .records import CATALOGUE_ID, build_record

LOG = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "ogc" / "pygeoapi"
TITLE_FIELDS = ("ad", "name", "tam_ad", "title")
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"


def published_layers() -> list[Layer]:
    """The layers OGC serves: open to agencies (public ones included); tokens decide per request."""
    return list(Layer.objects.filter(published=True, access_level__in=published_levels(Audience.AGENCY))
                .select_related("theme", "group").order_by("slug"))


def extent(data: dict[str, Any]) -> list[float] | None:
    """The lon/lat extent of the layer's rows (exact; run when a configuration is built, not per request)."""
    src = Source.from_data(data)
    with connection.cursor() as cur:
        cur.execute(f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                    f"(SELECT ST_Extent({src.geom_sql}) AS e FROM {src.table} t WHERE {src.scope_sql}) s")
        row = cur.fetchone()
    return [round(v, 7) for v in row] if row and row[0] is not None else None


def _collection(layer: Layer, data: dict[str, Any], bbox: list[float] | None) -> dict[str, Any]:
    title_en = layer.title_en or layer.title_tr
    keywords = [*layer.keywords, layer.theme.code, layer.theme.name_tr]
    provider: dict[str, Any] = {
        "type": "feature", "name": "ogc.provider.KentProvider", "data": data, "id_field": "id",
        "crs": ogc_crs.offered_uris(), "storage_crs": ogc_crs.CRS84,
    }
    title_field = next((f for f in TITLE_FIELDS if f in data["fields"]), None)
    if title_field:
        provider["title_field"] = title_field
    if data.get("time_field"):
        provider["time_field"] = data["time_field"]
    links = []
    if layer.licence.startswith("http"):
        links.append({"type": "text/html", "rel": "license", "title": layer.licence, "href": layer.licence})
    return {
        "type": "collection",
        "title": {"tr": layer.title_tr, "en": title_en},
        "description": {"tr": layer.abstract or layer.title_tr, "en": layer.abstract or title_en},
        "keywords": keywords,
        "links": links,
        "extents": {"spatial": {"bbox": bbox or [-180, -90, 180, 90], "crs": ogc_crs.CRS84}},
        "providers": [provider],
        "kent": {"layer_id": layer.pk, "access": layer.access_level, "group_id": layer.group_id,
                 "theme": layer.theme.code, "geometry": layer.geometry_family},
    }


def _catalogue(records: list[dict[str, Any]]) -> dict[str, Any]:
    boxes = [r["_bbox"] for r in records if r["_bbox"]]
    bbox = ([min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
            if boxes else [-180, -90, 180, 90])
    return {
        "type": "collection",
        "title": {"tr": "Katman üstveri kataloğu", "en": "Layer metadata catalogue"},
        "description": {"tr": "Yayındaki her katmanın üstverisi: başlık, özet, anahtar kelimeler, TUCBS teması, "
                              "lisans, kapsam, sorumlu birim ve son güncelleme.",
                        "en": "Metadata of every published layer."},
        "keywords": ["katalog", "üstveri", "metadata", "TUCBS"],
        "links": [],
        "extents": {"spatial": {"bbox": bbox, "crs": ogc_crs.CRS84}},
        "providers": [{"type": "record", "name": "ogc.records.KentRecordsProvider",
                       "data": {"records": records, "base_url": ""}, "id_field": "id", "title_field": "title"}],
        "kent": {"access": AccessLevel.PUBLIC},
    }


def _server() -> dict[str, Any]:
    return {
        "bind": {"host": "127.0.0.1", "port": 8000},
        "url": "",
        "mimetype": "application/json; charset=UTF-8",
        "encoding": "utf-8",
        "gzip": False,
        "languages": ["tr", "en"],
        "pretty_print": False,
        "admin": False,
        "limits": {"default_items": conf.DEFAULT_ITEMS, "max_items": conf.max_items(), "on_exceed": "throttle"},
        "templates": {"path": str(TEMPLATES), "static": str(Path(__file__).resolve().parent / "static" / "ogc")},
        "map": {"url": conf.BASEMAP_URL, "attribution": conf.BASEMAP_ATTRIBUTION},
        "kent": {"static": settings.STATIC_URL},
    }


def _metadata() -> dict[str, Any]:
    org = conf.text("KENT_OGC_PROVIDER_NAME", "Belediye CBS Müdürlüğü")
    email = conf.text("KENT_OGC_CONTACT_EMAIL", "cbs@belediye.example")
    return {
        "identification": {
            "title": {"tr": "Kent OGC servisleri", "en": "Kent OGC services"},
            "description": {"tr": "Belediyenin mekânsal verisi, OGC API Features ve Records ile.",
                            "en": "The municipality's spatial data through OGC API Features and Records."},
            "keywords": {"tr": ["CBS", "TUCBS", "adres", "numarataj", "belediye"],
                         "en": ["GIS", "TUCBS", "address", "municipality"]},
            "keywords_type": "theme",
            "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
            "url": "/",
        },
        "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        "provider": {"name": org, "url": "/"},
        "contact": {"name": org, "position": "CBS Müdürlüğü", "email": email, "role": "pointOfContact"},
    }


def build() -> dict[str, Any]:
    """The whole configuration for the current registry (queries: layers, then one extent each)."""
    resources: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    for layer in published_layers():
        if layer.slug == CATALOGUE_ID:
            LOG.warning("'%s' katalog için ayrılmış; katman yayınlanmadı.", layer.slug)
            continue
        try:
            data = describe(layer, Audience.AGENCY)
        except NotPublishable as e:
            LOG.warning("Katman %s yayınlanmadı: %s", layer.slug, e)
            continue
        bbox = extent(data)
        resources[layer.slug] = _collection(layer, data, bbox)
        records.append(build_record(layer, bbox))
    resources[CATALOGUE_ID] = _catalogue(records)
    return {"server": _server(), "logging": {"level": "ERROR"}, "metadata": _metadata(), "resources": resources}


def _tiles_link(base_url: str, slug: str) -> dict[str, Any]:
    return {"type": "application/json", "rel": TILESETS_VECTOR, "href": f"{base_url}/collections/{slug}/tiles?f=json",
            "title": {"tr": "Vektör karolar (OGC API Tiles)", "en": "Vector tiles (OGC API Tiles)"}}


def for_base_url(config: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A copy of `config` serving under `base_url` (the catalogue's record links use it too, and
    each layer's link to its vector tilesets)."""
    out = copy.deepcopy(config)
    out["server"]["url"] = base_url
    out["resources"][CATALOGUE_ID]["providers"][0]["data"]["base_url"] = base_url
    for slug, resource in out["resources"].items():
        if slug != CATALOGUE_ID:
            resource["links"].append(_tiles_link(base_url, slug))
    return out
