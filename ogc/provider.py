"""Kent's pygeoapi feature provider: one class for the feature store and for typed-model tables.

pygeoapi hands it arguments it has already parsed (bbox in the storage CRS, a pygeofilter tree in
`filterq`, the target CRS in `crs_transform_spec`); the provider turns them into the same
`FeatureQuery` the fast JSON path uses, so both read the same SQL. Kent's errors are re-raised as
pygeoapi's provider errors, which carry their own HTTP status, so pygeoapi answers 400/404/503."""

import json
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any

from pygeoapi.provider.base import (
    BaseProvider,
    ProviderGenericError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    SchemaType,
)

from geo.errors import KentError
from geo.sources.sql import Source

from . import crs as ogc_crs
from .params import coerce, compile_filter
from .query import FeatureQuery, QueryTimeout, fetch_item, fetch_page, parse_datetime

# The number of features the last query of this request returned, for the agency access log.
returned_count: ContextVar[int | None] = ContextVar("kent_ogc_returned", default=None)


class ProviderTimeoutError(ProviderGenericError):
    ogc_exception_code = "ServiceUnavailable"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE


def as_provider_error(e: KentError) -> ProviderGenericError:
    if isinstance(e, QueryTimeout):
        return ProviderTimeoutError(user_msg=e.message)
    return ProviderInvalidQueryError(user_msg=e.message)


class KentProvider(BaseProvider):
    """pygeoapi provider over a registry layer; `data` is the layer's description from `sources`."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.source = Source.from_data(provider_def["data"])
        self.id_field = "id"
        self.time_field = self.source.time_field
        self._fields = {name: f.schema() for name, f in self.source.fields.items()}

    def get_fields(self) -> dict[str, dict[str, str]]:
        return self._fields

    def get_schema(self, schema_type: SchemaType = SchemaType.item) -> tuple[str, dict[str, Any]]:
        props: dict[str, Any] = {"geometry": {"$ref": "https://geojson.org/schema/Geometry.json"}}
        props.update({name: dict(schema) for name, schema in self._fields.items()})
        return "application/geo+json", {"type": "object", "properties": props}

    def _query(self, *, offset: int, limit: int, bbox: list[float], datetime_: str | None,
               properties: list[tuple[str, str]], sortby: list[dict[str, str]], select_properties: list[str],
               skip_geometry: bool, filterq: Any, crs_transform_spec: Any) -> FeatureQuery:
        q = FeatureQuery(source=self.source, limit=limit, offset=offset, skip_geometry=skip_geometry)
        if bbox:
            q.bbox = (bbox[0], bbox[1], bbox[-2], bbox[-1]) if len(bbox) == 4 else (bbox[0], bbox[1], bbox[3],
                                                                                    bbox[4])
        if datetime_ and self.source.time_field:
            q.time = parse_datetime(datetime_)
        q.equals = [(k, coerce(self.source.fields[k], v)) for k, v in properties if k in self.source.fields]
        q.sortby = [(s["property"], s.get("order", "+") != "-") for s in sortby if s["property"] in self.source.fields]
        q.select = [p for p in select_properties if p in self.source.fields] or None
        if filterq is not None:
            q.filter_sql = compile_filter(filterq, self.source, ogc_crs.CRS84_CRS)
        if crs_transform_spec is not None:
            q.out_crs = ogc_crs.parse(crs_transform_spec.target_crs_uri)
        return q

    def query(self, offset: int = 0, limit: int = 10, resulttype: str = "results", bbox: list[float] | None = None,
              datetime_: str | None = None, properties: list[tuple[str, str]] | None = None,
              sortby: list[dict[str, str]] | None = None, select_properties: list[str] | None = None,
              skip_geometry: bool = False, q: str | None = None, filterq: Any = None,
              crs_transform_spec: Any = None, **kwargs: Any) -> dict[str, Any]:
        try:
            fq = self._query(offset=offset, limit=limit, bbox=bbox or [],
                             datetime_=datetime_, properties=properties or [], sortby=sortby or [],
                             select_properties=select_properties or [], skip_geometry=skip_geometry,
                             filterq=filterq, crs_transform_spec=crs_transform_spec)
            fq.hits = resulttype == "hits"
            page = fetch_page(fq)
        except KentError as e:
            raise as_provider_error(e) from e
        returned_count.set(page.returned)
        result: dict[str, Any] = {"type": "FeatureCollection",
                                  "features": json.loads(f"[{page.features_json}]"),
                                  "numberReturned": page.returned}
        if page.matched is not None:
            result["numberMatched"] = page.matched
        return result

    def get(self, identifier: str, crs_transform_spec: Any = None, **kwargs: Any) -> dict[str, Any]:
        fq = FeatureQuery(source=self.source)
        try:
            if crs_transform_spec is not None:
                fq.out_crs = ogc_crs.parse(crs_transform_spec.target_crs_uri)
            text, _stamp = fetch_item(fq, identifier)
        except KentError as e:
            raise as_provider_error(e) from e
        if text is None:
            raise ProviderItemNotFoundError(user_msg=f"Detay bulunamadı: {identifier}. (Feature not found.)")
        returned_count.set(1)
        return json.loads(text)

    def __repr__(self) -> str:
        return f"<KentProvider> {self.source.table}"
