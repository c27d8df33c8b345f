"""A layer declared in code (a core layer, an asset kind's layer): what it is, where its rows
live, who may read it by default, and where its data came from. Builders turn declarations into
registry rows with `description_fields` and `provenance_fields`, so re-running one refreshes the
description but keeps the access level and grants people set since."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from geo.models import AccessLevel
from geo.models.layer import FEATURE_STORE


@dataclass(frozen=True)
class LayerDef:
    slug: str
    title_tr: str
    title_en: str
    theme: str
    family: str
    abstract: str
    keywords: list[str]
    source: str = FEATURE_STORE
    properties: dict[str, Any] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    group: str | None = None
    access: str = AccessLevel.PUBLIC
    source_filter: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Provenance:
    """Where the rows came from; written into every core layer's metadata."""

    belediye: str
    licence: str
    lineage: str
    updated_at: datetime


def provenance_fields(prov: Provenance) -> dict[str, Any]:
    """The registry fields saying where a layer's data came from and who answers for it."""
    return {"responsible_party": f"{prov.belediye} CBS Müdürlüğü", "licence": prov.licence,
            "lineage": prov.lineage, "data_updated_at": prov.updated_at}


def description_fields(d: LayerDef) -> dict[str, Any]:
    """The registry fields saying what a layer is and where its rows live (not who may read it)."""
    schema = {"properties": d.properties, "required": d.required} if d.properties else {}
    return {"title_tr": d.title_tr, "title_en": d.title_en, "theme_id": d.theme, "geometry_family": d.family,
            "source": d.source, "source_filter": d.source_filter, "attribute_schema": schema,
            "abstract": d.abstract, "keywords": d.keywords, "native_srid": 4326}
