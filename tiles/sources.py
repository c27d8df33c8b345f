"""Where a registry layer's rows live, as SQL: table, geometry, key, filter and public attributes.

Vector tiles, Mapnik datasources, WMS feature info and thematic maps all read layers through
this one description, so a new typed source needs one entry here, not one per outlet.
Identifiers come from Django's model metadata and are quoted; the only value written into SQL
text is the layer's integer id (Mapnik's datasource takes no query parameters)."""

from dataclasses import dataclass, field

from django.contrib.gis.db.models import GeometryField
from django.db import connection, models

from geo.models import Layer
from numarataj.models import CsbmTuru

# Typed models may list personal-data fields in KISISEL_ALANLAR; they never leave Kent by tiles.
PRIVATE_ATTR = "KISISEL_ALANLAR"
SCALAR_TYPES = (models.CharField, models.TextField, models.IntegerField, models.FloatField, models.DecimalField,
                models.BooleanField, models.DateField, models.DateTimeField, models.ForeignKey)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _csbm_name_sql() -> str:
    """SQL twin of Csbm.tam_ad ('Atatürk Caddesi', '1203. Sokak'), built from CsbmTuru's suffixes."""
    cases = " ".join(f"WHEN '{t.value}' THEN '{t.suffix}'" for t in CsbmTuru)
    return f"concat(coalesce(t.numara::text || '.', t.ad), ' ', CASE t.tur {cases} ELSE '' END)"


# Derived attributes a typed source publishes besides its fields.
EXTRA_ATTRIBUTES = {
    "numarataj.Csbm": lambda: {"tam_ad": _csbm_name_sql()},
}


@dataclass(frozen=True)
class Source:
    """A layer's rows as SQL. `attributes` maps public names to SQL expressions over alias `t`;
    `jsonb` names a JSONB column whose keys are attributes too (the feature store)."""

    table: str
    geom: str = "t.geom"
    pk: str = "t.id"
    where: str = "TRUE"
    attributes: dict[str, str] = field(default_factory=dict)
    jsonb: str | None = None

    def attribute_sql(self, names: list[str] | None = None, *, as_text: bool = False) -> str:
        """', '-joined select items for the public attributes: all of them (the JSONB column
        whole), or the named ones; `as_text` casts each to text, as Mapnik filters compare text."""
        items = []
        for name, expr in self.attributes.items():
            if names is None or name in names:
                items.append(f"({expr}){'::text' if as_text else ''} AS {_q(name)}")
        if self.jsonb and names is None:
            items.append(f"{self.jsonb} AS properties")
        elif self.jsonb:
            items += [f"({self.jsonb} ->> '{_literal(n)}') AS {_q(n)}" for n in names if n not in self.attributes]
        return ", ".join(items)


def _literal(name: str) -> str:
    return name.replace("'", "''")


def _typed_attributes(model: type[models.Model]) -> dict[str, str]:
    private = set(getattr(model, PRIVATE_ATTR, ()))
    attrs: dict[str, str] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or isinstance(f, GeometryField) or f.name in private or not isinstance(f, SCALAR_TYPES):
            continue
        expr = f"t.{_q(f.column)}"
        if isinstance(f, models.DateField | models.DateTimeField | models.DecimalField):
            expr += "::text"  # ST_AsMVT and Mapnik want text, numbers or booleans
        attrs[f.attname] = expr
    return attrs


def _geometry_column(model: type[models.Model]) -> str:
    geoms = [f for f in model._meta.concrete_fields if isinstance(f, GeometryField)]
    main = next((f for f in geoms if f.name == "geom"), geoms[0])
    return main.column


def source_of(layer: Layer) -> Source:
    """The SQL description of a layer's rows."""
    model = layer.source_model()
    table = f"{_q(model._meta.db_table)} t"
    if layer.is_feature_store:
        return Source(table=table, where=f"t.layer_id = {int(layer.pk)}", jsonb="t.properties")
    extra = EXTRA_ATTRIBUTES.get(layer.source, dict)()
    return Source(table=table, geom=f"t.{_q(_geometry_column(model))}", pk=f"t.{_q(model._meta.pk.column)}",
                  attributes={**_typed_attributes(model), **extra})
