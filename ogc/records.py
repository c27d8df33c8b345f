"""The metadata catalogue (OGC API Records): one record per published layer, public or agency.

Agency layers are listed too (their data still needs a token): an institution must be able to find
what it may ask for under protocol. Records are built with the pygeoapi configuration from the
same registry snapshot and extents, and searched in memory: a municipality has tens to hundreds
of layers, so a scan is microseconds and needs no search engine. Text search folds Turkish
letters both ways ('kutuphane' finds 'Kütüphaneler', 'IŞIK' finds 'ışık')."""

from datetime import UTC, datetime
from typing import Any

from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError

from geo.errors import KentError
from geo.models import Layer
from geo.text import ascii_key as fold

from .catalogue import active_filter
from .query import parse_datetime
from .record_filter import FIELDS

CATALOGUE_ID = "katalog"
ACCESS_TR = {"public": "Herkese açık", "agency": "Protokollü kurumlar (anahtar gerekir)"}
SORTABLE = {"title", "updated", "created", "theme"}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def build_record(layer: Layer, extent: list[float] | None) -> dict[str, Any]:
    """An OGC API Records record (GeoJSON) for one layer; links are added per base URL."""
    geometry = None
    if extent:
        x1, y1, x2, y2 = extent
        geometry = {"type": "Polygon", "coordinates": [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]}
    updated = layer.data_updated_at or layer.updated_at
    theme = layer.theme
    props: dict[str, Any] = {
        "type": "dataset",
        "title": layer.title_tr,
        "title_en": layer.title_en or layer.title_tr,
        "description": layer.abstract,
        "keywords": list(layer.keywords or []),
        "themes": [{"scheme": "TUCBS", "concepts": [{"id": theme.code, "title": theme.name_tr}]}],
        "theme": theme.code,
        "license": layer.licence,
        "contacts": [{"organization": layer.responsible_party, "roles": ["pointOfContact"]}]
        if layer.responsible_party else [],
        "created": _iso(layer.created_at),
        "updated": _iso(updated),
        "language": {"code": "tr"},
        "formats": [{"name": "GeoJSON", "mediaType": "application/geo+json"}],
        "access": layer.access_level,
        "rights": ACCESS_TR.get(layer.access_level, layer.access_level),
        "lineage": layer.lineage,
    }
    text = " ".join([layer.slug, layer.title_tr, layer.title_en, layer.abstract, theme.code, theme.name_tr,
                     theme.name_en, layer.responsible_party, *props["keywords"]])
    return {"id": layer.slug, "type": "Feature", "conformsTo": [
        "http://www.opengis.net/spec/ogcapi-records-1/1.0/req/record-core"],
        "geometry": geometry, "time": {"interval": [props["created"], props["updated"]]},
        "properties": props, "_search": fold(text), "_bbox": extent, "links": []}


def with_links(record: dict[str, Any], base_url: str) -> dict[str, Any]:
    coll = f"{base_url}/collections/{record['id']}"
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    out["links"] = [
        {"rel": "collection", "type": "application/json", "title": record["properties"]["title"], "href": coll},
        {"rel": "items", "type": "application/geo+json", "title": "Detaylar (GeoJSON)", "href": f"{coll}/items"},
        {"rel": "describedby", "type": "application/schema+json", "title": "Şema", "href": f"{coll}/schema"},
    ]
    return out


def _intersects(a: list[float] | None, b: list[float]) -> bool:
    return a is not None and a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _equals(value: Any, text: str) -> bool:
    """A `property=value` parameter: equal after folding; for a list, equal to one of its items."""
    if isinstance(value, list):
        return any(_equals(v, text) for v in value)
    if isinstance(value, datetime):
        value = _iso(value)
    return value is not None and fold(str(value)) == fold(text)


def _trimmed(record: dict[str, Any], select: list[str], skip_geometry: bool) -> dict[str, Any]:
    """The record with only the `properties` asked for, and without geometry on `skipGeometry`."""
    if select:
        record["properties"] = {k: v for k, v in record["properties"].items() if k in select}
    if skip_geometry:
        record["geometry"] = None
    return record


class KentRecordsProvider(BaseProvider):
    """pygeoapi record provider over the snapshot's records (provider data: records + base_url)."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.records: list[dict[str, Any]] = provider_def["data"]["records"]
        self.base_url: str = provider_def["data"].get("base_url", "")
        self.id_field = "id"
        self.title_field = "title"
        self._fields = {name: schema for name, (_, _, schema) in FIELDS.items()}

    def get_fields(self) -> dict[str, dict[str, str]]:
        return self._fields

    def _matches(self, rec: dict[str, Any], words: list[str], bbox: list[float], period: Any,
                 properties: list[tuple[str, str]]) -> bool:
        if any(w not in rec["_search"] for w in words):
            return False
        if bbox and not _intersects(rec["_bbox"], bbox):
            return False
        if period is not None:
            updated = datetime.fromisoformat(rec["properties"]["updated"]) if rec["properties"]["updated"] else None
            start, end = (p.replace(tzinfo=p.tzinfo or UTC) if p else None for p in period)
            if updated is None or (start and updated < start) or (end and updated > end):
                return False
        return all(_equals(FIELDS[k][1](rec), v) for k, v in properties)

    def query(self, offset: int = 0, limit: int = 10, resulttype: str = "results", bbox: list[float] | None = None,
              datetime_: str | None = None, properties: list[tuple[str, str]] | None = None,
              sortby: list[dict[str, str]] | None = None, q: str | None = None, **kwargs: Any) -> dict[str, Any]:
        try:
            period = parse_datetime(datetime_) if datetime_ else None
        except KentError as e:
            raise ProviderInvalidQueryError(user_msg=e.message) from e
        words = fold(q or "").replace(",", " ").split()
        bbox4 = ([bbox[0], bbox[1], bbox[-2], bbox[-1]] if len(bbox) == 4 else [bbox[0], bbox[1], bbox[3], bbox[4]]
                 ) if bbox else []
        keep = active_filter.get() or (lambda r: True)
        found = [r for r in self.records if self._matches(r, words, bbox4, period, properties or []) and keep(r)]
        for s in reversed(sortby or []):
            key = s["property"]
            if key not in SORTABLE:
                raise ProviderInvalidQueryError(user_msg=f"'{key}' ile sıralanamaz. (Cannot sort by '{key}'.)")
            found.sort(key=lambda r, k=key: fold(str(r["properties"].get(k) or "")), reverse=s.get("order") == "-")
        page = [] if resulttype == "hits" else found[offset:offset + limit]
        select, skip = kwargs.get("select_properties") or [], bool(kwargs.get("skip_geometry"))
        return {"type": "FeatureCollection", "features": [_trimmed(with_links(r, self.base_url), select, skip)
                                                          for r in page],
                "numberMatched": len(found), "numberReturned": len(page)}

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        for rec in self.records:
            if rec["id"] == identifier:
                return with_links(rec, self.base_url)
        raise ProviderItemNotFoundError(user_msg=f"Kayıt bulunamadı: {identifier}. (Record not found.)")
