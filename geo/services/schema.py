"""One JSON Schema validator for every attribute set that enters Kent: map-editor saves, file
imports, asset edits and sensor readings. It is the maintained `jsonschema` package; a schema is
compiled once and kept (keyed by a hash of its canonical JSON, bounded), so the ingest worker pays
for checking a reading, never for compiling its kind's schema. Every problem names its field,
Turkish first and English after, so the editor can mark the field and a dead letter says why.

Kent reads a schema the same way everywhere: null means "not given" (an empty form field, a
sensor that does not know), so it passes every check and counts as missing for `required`, as
does empty text for a required attribute. Undeclared attributes pass (FIWARE payloads carry
many) unless the schema says `additionalProperties: false`. Booleans are not numbers."""

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as FormError
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError

from geo.errors import InvalidInput

CACHE_SIZE = 256
# top-level keywords under which "every property on its own, plus required" is the whole check
_PER_PROPERTY = {"type", "properties", "required", "additionalProperties", "title", "description",
                 "$schema", "$id", "$comment"}


class InvalidSchema(InvalidInput):
    """The schema itself is broken (a layer's or a kind's, as typed in the admin)."""

    code = "InvalidSchema"


@dataclass(frozen=True, slots=True)
class Problem:
    field: str     # the attribute at fault ("category[0]" inside an array)
    keyword: str   # the JSON Schema keyword that failed: required, enum, maximum, …
    text: str      # "kapasite_kisi: -3 < en az 0 (minimum 0)"

    def __str__(self) -> str:
        return self.text


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value[:60]}'"
    return json.dumps(value, ensure_ascii=False, default=str)[:60]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    for name, kinds in (("integer", int), ("number", float), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def _types(expected: Any) -> str:
    return "/".join(expected) if isinstance(expected, list) else str(expected)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


TEXTS: dict[str, Callable[[Any, Any], str]] = {
    "type": lambda x, v: f"{_types(v)} bekleniyor, {_json_type(x)} geldi (expected {_types(v)})",
    "enum": lambda x, v: f"{_show(x)} izin verilen değerlerden değil: {', '.join(map(_plain, v))} "
                         "(not one of the allowed values)",
    "const": lambda x, v: f"{_show(v)} olmalı, {_show(x)} geldi (must be {_show(v)})",
    "minimum": lambda x, v: f"{x} < en az {v} (minimum {v})",
    "maximum": lambda x, v: f"{x} > en çok {v} (maximum {v})",
    "exclusiveMinimum": lambda x, v: f"{x}, {v} değerinden büyük olmalı (must be greater than {v})",
    "exclusiveMaximum": lambda x, v: f"{x}, {v} değerinden küçük olmalı (must be less than {v})",
    "multipleOf": lambda x, v: f"{x}, {v} sayısının katı değil (not a multiple of {v})",
    "minLength": lambda x, v: f"en az {v} karakter (at least {v} characters)",
    "maxLength": lambda x, v: f"en çok {v} karakter (at most {v} characters)",
    "pattern": lambda x, v: f"{_show(x)} beklenen biçimde değil: {v} (does not match the pattern)",
    "format": lambda x, v: f"{_show(x)} {v} biçiminde değil (not a valid {v})",
    "minItems": lambda x, v: f"en az {v} öğe (at least {v} items)",
    "maxItems": lambda x, v: f"en çok {v} öğe (at most {v} items)",
    "uniqueItems": lambda x, v: "öğeler tekrarlanmamalı (items must be unique)",
}


def _field(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _undeclared(error: ValidationError) -> list[str]:
    """The keys an additionalProperties: false error is about (jsonschema names them only in prose)."""
    declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    patterns = error.schema.get("patternProperties", {}) if isinstance(error.schema, dict) else {}
    return [k for k in error.instance if k not in declared and not any(re.search(p, k) for p in patterns)]


def explain(errors: Iterable[ValidationError]) -> list[Problem]:
    """One Problem per field and failed keyword; missing fields first, as the editor marks them."""
    missing: list[Problem] = []
    other: list[Problem] = []
    for e in errors:
        path = list(e.absolute_path)
        if e.validator == "required":
            for name in e.validator_value:
                field = _field([*path, name])
                if name not in e.instance and all(p.field != field for p in missing):
                    missing.append(Problem(field, "required", f"{field}: zorunlu (required)"))
        elif e.validator == "additionalProperties" and e.validator_value is False:
            other += [Problem(f, "additionalProperties", f"{f}: şemada tanımlı değil (not declared in the schema)")
                      for f in (_field([*path, k]) for k in _undeclared(e))]
        else:
            field = _field(path) or "*"
            text = TEXTS.get(str(e.validator))
            body = text(e.instance, e.validator_value) if text else \
                f"şemaya uymuyor: {e.message} (does not match the schema: {e.validator})"
            other.append(Problem(field, str(e.validator), f"{field}: {body}"))
    return missing + other


class CompiledSchema:
    """A checked, compiled schema. For the usual flat schema (properties, required) a valid object
    is confirmed property by property, without jsonschema's per-property descent (half the cost
    on the ingest path); anything else, and every explanation, goes through the whole validator."""

    def __init__(self, schema: dict[str, Any]) -> None:
        if not isinstance(schema, dict):
            raise InvalidSchema("Öznitelik şeması bir JSON nesnesi olmalı. (The attribute schema must be an object.)")
        cls = validators.validator_for(schema, default=Draft202012Validator)
        try:
            cls.check_schema(schema)
        except SchemaError as e:
            where = _field(e.absolute_path) or "/"
            raise InvalidSchema(f"Öznitelik şeması geçerli bir JSON Schema değil ({where}): {e.message}. "
                                "(The attribute schema is not valid JSON Schema.)", at=where) from None
        self.schema = schema
        self.required = frozenset(schema.get("required", ()))
        self._whole = cls(schema)
        props = schema.get("properties") or {}
        closed = schema.get("additionalProperties", True)
        self._per_property: dict[str, Any] | None = None
        if set(schema) <= _PER_PROPERTY and schema.get("type", "object") == "object" and isinstance(closed, bool):
            self._per_property = {name: cls(spec) for name, spec in props.items()}
            self._closed = not closed

    def _given(self, data: dict[str, Any]) -> dict[str, Any]:
        """The values given: nulls dropped, and empty text where an attribute is required."""
        return {k: v for k, v in data.items() if v is not None and not (v == "" and k in self.required)}

    def _quick_ok(self, given: dict[str, Any]) -> bool:
        checks = self._per_property
        if checks is None or not self.required <= given.keys():
            return False
        if self._closed and not given.keys() <= checks.keys():
            return False
        for name, value in given.items():
            check = checks.get(name)
            if check is not None and not check.is_valid(value):
                return False
        return True

    def problems(self, data: dict[str, Any]) -> list[Problem]:
        """Every problem of `data` (an attribute object), or [] when it fits."""
        if not isinstance(data, dict):
            return [Problem("*", "type", "*: öznitelikler bir nesne olmalı (attributes must be an object)")]
        given = self._given(data)
        if self._quick_ok(given):
            return []
        return explain(self._whole.iter_errors(given))


_cache: OrderedDict[str, CompiledSchema] = OrderedDict()
_lock = threading.Lock()


def compiled(schema: dict[str, Any]) -> CompiledSchema:
    """The compiled form of `schema`, built once per distinct schema (LRU of CACHE_SIZE). The
    cached copy is the schema's own canonical JSON, so a caller mutating its dict later changes
    nothing here."""
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    key = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    built = CompiledSchema(json.loads(text))  # outside the lock: another thread may build it too, harmlessly
    with _lock:
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def schema_validator(value: Any) -> None:
    """For admin forms: a layer's or kind's schema is refused when typed in, not at its first use."""
    try:
        compiled(value if value is not None else {})
    except InvalidSchema as e:
        raise FormError(e.message, code="invalid_schema") from None


def refusal(problems: list[Problem], **detail: Any) -> InvalidInput:
    """The 400 for attributes that break their schema: the description lists each field's problem,
    detail.missing and detail.invalid name the fields (the editor marks them), detail.problems
    holds the per-field texts."""
    missing = [p.field for p in problems if p.keyword == "required"]
    invalid = list(dict.fromkeys(p.field for p in problems if p.keyword != "required"))
    parts = [f"Zorunlu öznitelik eksik: {', '.join(missing)}"] if missing else []
    if invalid:
        parts.append("Öznitelik şemaya uymuyor: " + "; ".join(p.text for p in problems if p.keyword != "required"))
    return InvalidInput(". ".join(parts) + ". (Attributes do not match the schema; see detail.problems.)",
                        missing=missing, invalid=invalid, problems=[p.text for p in problems], **detail)
