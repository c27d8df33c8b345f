"""pycsw record columns for one layer or imagery set: what a harvester reads of it (title,
abstract, keywords with the TUCBS theme, extent, CRS, responsible party, licence, dates and the
service links). Links are written under SITE and made absolute per request by the repository,
because the catalogue may be reached under several host names."""

from datetime import UTC, date, datetime
from typing import Any

from django.contrib.gis.geos import Polygon

from geo.models import Layer
from geo.text import ascii_key
from tiles.models import Imagery

from .. import conf

SITE = "http://kent.invalid"  # replaced by the request's site URL when records are served
ISO_SCHEMA = "http://www.isotc211.org/2005/gmd"
STORAGE_CRS = "urn:ogc:def:crs:EPSG::4326"


def provider_name() -> str:
    return conf.text("KENT_OGC_PROVIDER_NAME", "Belediye CBS Müdürlüğü")


def _iso(value: datetime | date | None) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat() if value else None


def _clean(text: str) -> str:
    """pycsw keeps lists as ',' and links as '^'-separated text: neither may occur inside a value."""
    return " ".join(text.replace(",", " ").replace("^", " ").split())


def _link(name: str, description: str, protocol: str, path: str) -> str:
    return ",".join([_clean(name), _clean(description), protocol, f"{SITE}{path}"])


def _box(bbox: list[float] | tuple[float, ...] | None) -> dict[str, Any]:
    if not bbox:
        return {"wkt_geometry": None, "wkb_geometry": None}
    poly = Polygon.from_bbox(tuple(bbox))
    poly.srid = 4326
    return {"wkt_geometry": poly.wkt, "wkb_geometry": poly}


def _anytext(*parts: str) -> str:
    """Free text for PropertyIsLike on AnyText, also folded so 'kutuphane' finds 'Kütüphane'."""
    text = " ".join(p for p in parts if p)
    return f"{text} {ascii_key(text)}"


def _common(identifier: str, title: str, abstract: str, licence: str, organization: str,
            modified: str | None) -> dict[str, Any]:
    return {
        "identifier": identifier, "typename": "gmd:MD_Metadata", "schema": ISO_SCHEMA, "mdsource": "local",
        "insert_date": _iso(datetime.now(UTC)), "language": "tur", "resourcelanguage": "tur", "type": "dataset",
        "title": title, "abstract": abstract or title, "keywordstype": "theme", "organization": organization,
        "responsiblepartyrole": "pointOfContact", "date": modified, "date_modified": modified,
        "date_revision": modified, "crs": STORAGE_CRS, "accessconstraints": "otherRestrictions",
        "otherconstraints": licence or None, "conditionapplyingtoaccessanduse": licence or None,
    }


def layer_columns(layer: Layer, bbox: list[float] | None) -> dict[str, Any]:
    """The record of a published registry layer (its data extent computed by the caller)."""
    theme = layer.theme
    keywords = [_clean(k) for k in [*layer.keywords, theme.code, theme.name_tr] if _clean(str(k))]
    organization = layer.responsible_party or provider_name()
    slug = layer.slug
    links = [
        _link(layer.title_tr, "OGC API Features", "OGC:API-Features", f"/ogc/collections/{slug}"),
        _link(slug, "WMS 1.3.0", "OGC:WMS", "/wms?service=WMS&request=GetCapabilities"),
        _link(slug, "WFS 2.0", "OGC:WFS", "/wfs?service=WFS&request=GetCapabilities"),
        _link(f"{slug}.gpkg", "GeoPackage", "WWW:DOWNLOAD-1.0-http--download",
              f"/katmanlar/{slug}/disa-aktar/?format=gpkg"),
    ]
    row = _common(f"kent-katman-{slug}", layer.title_tr, layer.abstract, layer.licence, organization,
                  _iso(layer.data_updated_at or layer.updated_at))
    row.update({
        "title_alternate": layer.title_en or None, "keywords": ",".join(keywords),
        "date_creation": _iso(layer.created_at), "lineage": layer.lineage or None, "format": "GeoPackage",
        "links": "^".join(links), "source": f"{SITE}/ogc/collections/{slug}",
        "anytext": _anytext(slug, layer.title_tr, layer.title_en, layer.abstract, organization, theme.code,
                            theme.name_tr, theme.name_en, *keywords),
        "kent_kind": "katman", "kent_object_id": layer.pk, "kent_access": layer.access_level,
        "kent_group_id": layer.group_id, **_box(bbox),
    })
    return row


def imagery_columns(image: Imagery) -> dict[str, Any]:
    """The record of a published imagery set (public: imagery has no agency level)."""
    slug = image.slug
    links = [
        _link(image.title, "TileJSON", "WWW:LINK-1.0-http--link", f"/tiles/imagery/{slug}/tilejson.json"),
        _link(image.title, "XYZ PNG", "OGC:WMTS-XYZ", f"/tiles/imagery/{slug}/{{z}}/{{x}}/{{y}}.png"),
    ]
    row = _common(f"kent-goruntu-{slug}", image.title, image.abstract, image.licence or image.attribution,
                  provider_name(), _iso(image.updated_at))
    row.update({
        "keywords": ",".join(["uydu görüntüsü", "ortofoto", "imagery"]), "format": "GeoTIFF (COG)",
        "date_creation": _iso(image.acquired), "links": "^".join(links), "lineage": _clean(image.attribution),
        "source": f"{SITE}/tiles/imagery/{slug}/tilejson.json",
        "anytext": _anytext(slug, image.title, image.abstract, image.attribution, "uydu görüntüsü ortofoto imagery"),
        "kent_kind": "goruntu", "kent_object_id": image.pk, "kent_access": "public", "kent_group_id": None,
        **_box(image.bounds.extent if image.bounds else None),
    })
    return row
