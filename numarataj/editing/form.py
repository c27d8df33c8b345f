"""The editor's form for a register model, read off the model's own fields: each column's type,
choices, length and range become the JSON Schema that `geo.services.schema` checks (so a refusal
names its field the way every other layer's does), and a checked property set is written onto
the row. Foreign keys travel as ids, extra points (a site's gate, a street's pinned start) as
[lon, lat]."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.contrib.gis.geos import Point
from django.db import models
from django.utils.translation import gettext as _

from geo.editor.backends import field as form_field
from geo.errors import Conflict, InvalidInput
from geo.services.schema import compiled, refusal
from geo.sources.model import json_type
from geo.text import turkish_upper

POINT_SCHEMA = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                "description": "[boylam, enlem] (lon, lat)"}


def _title(f: models.Field) -> str:
    """The column's name as a Turkish reader expects it ('İlçe (kimlik no)', not 'Ilce'); a
    foreign key is named after the model it points at."""
    if isinstance(f, models.ForeignKey):
        name = str(f.related_model._meta.verbose_name)
        return _("%(name)s (kimlik no)") % {"name": turkish_upper(name[:1]) + name[1:]}
    name = str(f.verbose_name)
    return turkish_upper(name[:1]) + name[1:]


def _schema(f: models.Field) -> dict[str, Any]:
    """One column as JSON Schema: its type, choices, length and sign."""
    if isinstance(f, PointField):
        return {**POINT_SCHEMA, "title": _title(f)}
    title = _title(f)
    schema: dict[str, Any] = {**(json_type(f) or {"type": "string"}), "title": title}
    if f.choices:
        schema["enum"] = [value for value, _label in f.flatchoices if value != ""]
    if isinstance(f, models.CharField) and f.max_length:
        schema["maxLength"] = f.max_length
    if isinstance(f, (models.PositiveIntegerField, models.PositiveSmallIntegerField)):
        schema["minimum"] = 0
    if f.help_text:
        schema["description"] = str(f.help_text)
    return schema


@dataclass(frozen=True)
class Form:
    """The columns a register model's editor form shows, in order."""

    model: type[models.Model]
    columns: tuple[str, ...]
    required: frozenset[str] = frozenset()
    readonly: frozenset[str] = frozenset()   # written by the engine or an import, shown only
    found: frozenset[str] = frozenset()      # left empty, the save finds them from the geometry
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def schema(self) -> dict[str, Any]:
        props = {n: {**_schema(self._field(n)), **self.schemas.get(n, {})} for n in self.columns}
        return {"type": "object", "properties": props, "required": sorted(self.required)}

    def attribute_fields(self) -> list[dict[str, Any]]:
        props = self.schema()["properties"]
        found = _("Boşsa konumdan bulunur.")
        return [form_field(n, props[n], required=n in self.required, readonly=n in self.readonly,
                           description=found if n in self.found else "")
                for n in self.columns]

    def properties(self, row: models.Model) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.columns:
            f = self._field(name)
            value = getattr(row, f.attname)
            out[name] = [round(value.x, 8), round(value.y, 8)] if isinstance(value, Point) else value
        return out

    def apply(self, row: models.Model, properties: dict[str, Any]) -> None:
        """Check the given properties against the form's schema (400 naming each field at fault),
        then write the editable ones onto the row; foreign keys must point at existing rows."""
        given = {k: v for k, v in properties.items() if k in self.columns and k not in self.readonly}
        # an update is checked whole (required fields may be left out of a partial edit); an empty
        # text stands for "not given", as the schema reads null
        current = {k: None if v == "" else v for k, v in self.properties(row).items()
                   if k not in self.readonly} if row.pk else {}
        problems = compiled(self.schema()).problems({**current, **given})
        if problems:
            raise refusal(problems)
        for name, value in given.items():
            f = self._field(name)
            if isinstance(f, models.ForeignKey):
                if value is not None and not f.related_model._default_manager.filter(pk=value).exists():
                    raise InvalidInput(f"'{name}': {value} numaralı kayıt yok. ({name}: no row with this id.)",
                                       invalid=[name], problems=[f"{name}: {value} yok (no such row)"])
            elif isinstance(f, PointField):
                value = Point(*value, srid=settings.STORAGE_SRID) if value is not None else None
            elif value is None and not f.null:
                value = "" if isinstance(f, models.CharField) else f.get_default()
            elif isinstance(value, str):
                value = value.strip()
            setattr(row, f.attname, value)


def check_version(row: models.Model, expected: int) -> None:
    """The editor names the version it edited; a row saved since is refused, not overwritten."""
    if row.version != expected:
        raise Conflict("Bu kayıt siz düzenlerken başka biri tarafından değiştirildi. "
                       "(Someone else saved this row while you were editing.)",
                       current_version=row.version, your_version=expected)
