"""A typed layer's `source_filter` as SQL: which rows of a shared table the layer shows.

`Layer.rows()` hands the filter to the ORM; the outlets that write SQL themselves (OGC API
Features, vector and raster tiles, WMS) read it through here, so every outlet shows the same
rows. Only `field = value` on a concrete field of the model is accepted (by name or attname,
e.g. `kind` or `kind_id`); values become SQL literals after the field has parsed them, so a
registry row can never inject SQL, and anything else (a lookup such as `kind__public`, an
unknown field) is refused rather than silently widened to every row."""

import math
from typing import Any

from django.db import models

Scalar = str | int | float | bool | None


class BadSourceFilter(ValueError):
    """The registry row's source_filter is not a list of field = value on the model's columns."""


def _field(model: type[models.Model], key: str) -> models.Field:
    for f in model._meta.concrete_fields:
        if key in (f.name, f.attname):
            return f
    raise BadSourceFilter(f"'{key}' {model._meta.label} modelinin bir alanı değil; kaynak süzgeci yalnızca "
                          f"alan = değer olabilir. (Not a field of the model.)")


def _value(f: models.Field, raw: Any) -> Scalar:
    """`raw` as the field parses it, in a form that compares with the column's value."""
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    try:
        value = target.to_python(raw)
    except Exception as e:  # noqa: BLE001 - ValidationError and friends all mean "not a value of this field"
        raise BadSourceFilter(f"'{raw}' {f.name} alanının değeri olamaz. (Not a value of the field.)") from e
    if value is not None and not isinstance(value, str | int | float | bool):
        value = str(value)  # dates, decimals, uuids: their text form compares with the column
    return value


def _given(f: models.Field, raw: Any) -> Scalar:
    if raw is not None and not isinstance(raw, str | int | float | bool):
        raise BadSourceFilter(f"'{f.name}' için değer tek bir sayı ya da metin olmalı. (Scalar value expected.)")
    value = _value(f, raw)
    if isinstance(value, str) and "%" in value:
        # the literal lands in query texts that are also run with DB-API parameters, where % is special
        raise BadSourceFilter("Kaynak süzgecinin değerinde % karakteri olamaz. (No % in a source_filter value.)")
    return value


def columns(model: type[models.Model], source_filter: dict[str, Any] | None) -> list[tuple[str, Scalar]]:
    """The filter as (database column, parsed value) pairs, in key order."""
    if not source_filter:
        return []
    if not isinstance(source_filter, dict):
        raise BadSourceFilter("Kaynak süzgeci bir nesne olmalı, ör. {\"kind_id\": \"WasteContainer\"}. "
                              "(source_filter must be an object.)")
    out = []
    for key in sorted(source_filter):
        f = _field(model, key)
        out.append((f.column, _given(f, source_filter[key])))
    return out


def literal(value: Scalar) -> str:
    """An SQL literal (standard-conforming strings, as PostgreSQL has by default)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadSourceFilter("Sonsuz ya da NaN değer kullanılamaz. (Non-finite value.)")
        return repr(value)
    text = str(value)
    if "\x00" in text:
        raise BadSourceFilter("Değerde NUL karakteri olamaz. (NUL in value.)")
    return "'" + text.replace("'", "''") + "'"


def where_sql(pairs: list[tuple[str, Scalar]] | list[list[Any]], alias: str = "t") -> str:
    """`alias."col" = literal AND …` (TRUE when there is nothing to filter)."""
    parts = []
    for column, value in pairs:
        col = f'{alias}."' + str(column).replace('"', '""') + '"'
        parts.append(f"{col} IS NULL" if value is None else f"{col} = {literal(value)}")
    return " AND ".join(parts) or "TRUE"


def shows(model: type[models.Model], source_filter: dict[str, Any] | None, obj: models.Model) -> bool:
    """Whether a layer with this filter shows `obj` (in Python, so also for a row just deleted)."""
    try:
        return all(_value(f, getattr(obj, f.attname)) == _given(f, raw)
                   for key, raw in (source_filter or {}).items() for f in [_field(model, key)])
    except BadSourceFilter:
        return False
