"""TUCBS conformance of each layer: does its data carry what its theme asks, is it valid, is it
described? Validation stops bad rows at the door; this report finds what got in anyway (legacy
imports, rows written before a theme gained a required attribute, direct SQL).

Each layer costs one aggregate query over its rows (FILTER clauses per check), so the report
stays cheap on large layers."""

import operator
from dataclasses import asdict, dataclass, field
from functools import reduce
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db.models import CharField, Count, Q, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from geo.models import GeometryFamily, Layer
from geo.tucbs_catalogue import THEMES

METADATA_FIELDS = ("abstract", "keywords", "responsible_party", "licence", "lineage", "data_updated_at")
GEOMETRY_TYPES = ("POINT", "MULTIPOINT", "LINESTRING", "MULTILINESTRING", "POLYGON", "MULTIPOLYGON")
PROVISIONAL = {t["code"] for t in THEMES if t["provisional"]}


@dataclass
class LayerConformance:
    layer_id: int
    slug: str
    title: str
    source: str
    geometry_family: str
    theme_code: str
    theme_name: str
    theme_provisional: bool
    required: list[str]
    row_count: int = 0
    undeclared: list[str] = field(default_factory=list)
    missing_values: dict[str, int] = field(default_factory=dict)
    invalid_geometries: int = 0
    wrong_family: int = 0
    empty_geometries: int = 0
    metadata_missing: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def conforms(self) -> bool:
        return not (self.error or self.undeclared or any(self.missing_values.values()) or self.invalid_geometries
                    or self.wrong_family or self.empty_geometries or self.metadata_missing)

    @property
    def geometry_family_label(self) -> str:
        known = self.geometry_family in GeometryFamily.values
        return str(GeometryFamily(self.geometry_family).label) if known else self.geometry_family

    @property
    def metadata_missing_labels(self) -> list[str]:
        """The missing metadata fields by their (translated) names, for people rather than programs."""
        return [str(Layer._meta.get_field(name).verbose_name) for name in self.metadata_missing]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"conforms": self.conforms}


def _metadata_missing(layer: Layer) -> list[str]:
    missing = []
    for name in METADATA_FIELDS:
        value = getattr(layer, name)
        if value is None or (isinstance(value, str) and not value.strip()) or value in ([], {}):
            missing.append(name)
    return missing


def _geometry_field(model) -> str:
    return next(f.name for f in model._meta.concrete_fields if isinstance(f, GeometryField))


def _feature_store_checks(layer: Layer) -> tuple[list[str], dict[str, Q | Exact]]:
    """Undeclared attributes and, per required attribute, the condition of a row lacking it
    (key absent, JSON null or empty string: what validation calls missing)."""
    declared = layer.attribute_schema.get("properties", {})
    undeclared = [a for a in layer.required_attributes() if a not in declared]
    lacking = {a: Exact(Coalesce(KeyTextTransform(a, "properties"), Value(""), output_field=TextField()), Value(""))
               for a in layer.required_attributes()}
    return undeclared, lacking


def _typed_model_checks(layer: Layer, model) -> tuple[list[str], dict[str, Q | Exact]]:
    """Undeclared = not a concrete field of the model; lacking = NULL, or '' for text fields."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    undeclared = [a for a in layer.required_attributes() if a not in fields]
    lacking: dict[str, Q | Exact] = {}
    for name in layer.required_attributes():
        f = fields.get(name)
        if f is None:
            continue
        conds = [Q(**{f"{name}__isnull": True})] if f.null else []
        if isinstance(f, (CharField, TextField)):
            conds.append(Q(**{name: ""}))
        if conds:  # a NOT NULL number or date always has a value
            lacking[name] = reduce(operator.or_, conds)
    return undeclared, lacking


def conformance(layer: Layer) -> LayerConformance:
    """Check one layer against its TUCBS theme, its own schema and the metadata TUCBS asks for."""
    report = LayerConformance(
        layer_id=layer.pk, slug=layer.slug, title=layer.title_tr, source=layer.source,
        geometry_family=layer.geometry_family, theme_code=layer.theme_id, theme_name=layer.theme.name_tr,
        theme_provisional=layer.theme_id in PROVISIONAL, required=layer.required_attributes(),
        metadata_missing=_metadata_missing(layer))
    try:
        model = layer.source_model()
        geom = _geometry_field(model)
    except (LookupError, ValueError, StopIteration):
        report.error = f"Kaynak '{layer.source}' bir geometri tablosu değil. (Source is not a geometry model.)"
        return report
    undeclared, lacking = (_feature_store_checks(layer) if layer.is_feature_store
                           else _typed_model_checks(layer, model))
    family_types = [t for t in GEOMETRY_TYPES if GeometryFamily.of(t) == layer.geometry_family]
    aggregates = {
        "rows": Count("pk"),
        "invalid": Count("pk", filter=Q(**{f"{geom}__isvalid": False})),
        "wrong_family": Count("pk", filter=Q(**{f"{geom}__isnull": False})
                              & ~Q(**{f"{geom}__geom_type__in": family_types})),
        "empty": Count("pk", filter=Q(**{f"{geom}__isnull": True}) | Q(**{f"{geom}__isempty": True})),
    }
    aggregates |= {f"lacking_{i}": Count("pk", filter=cond) for i, cond in enumerate(lacking.values())}
    counts = layer.rows().aggregate(**aggregates)
    report.row_count = counts["rows"]
    report.invalid_geometries, report.wrong_family = counts["invalid"], counts["wrong_family"]
    report.empty_geometries = counts["empty"]
    report.undeclared = undeclared
    by_name = {name: counts[f"lacking_{i}"] for i, name in enumerate(lacking)}
    # a typed model cannot hold an attribute it has no column for: every row lacks it
    report.missing_values = {a: by_name[a] if a in by_name else (report.row_count if a in undeclared else 0)
                             for a in report.required}
    return report


def conformance_all(slug: str | None = None) -> list[LayerConformance]:
    """Every layer's report (or one layer's, by slug), in slug order."""
    layers = Layer.objects.select_related("theme").order_by("slug")
    if slug is not None:
        layers = layers.filter(slug=slug)
    return [conformance(layer) for layer in layers]


def summary(reports: list[LayerConformance]) -> dict[str, int]:
    ok = sum(r.conforms for r in reports)
    return {"layers": len(reports), "conforming": ok, "not_conforming": len(reports) - ok}
