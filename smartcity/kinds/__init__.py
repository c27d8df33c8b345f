"""The asset kinds Kent knows: one declaration per kind (smartcity.kinds.declared), from which the
registry layers (smartcity.layers), the live map and its legend (smartcity.pages), the demo
simulator (smartcity.simulation) and the city guide's categories (rehber.categories) are derived.

`REGISTRY` maps a type to its declaration, in declaration order; a deployment (or a test) adds a
kind with `register`. A kind added later as an AssetKind row only (the admin) gets a plain
declaration from the row: an agency layer named after its type, not on the map or in the guide."""

import re
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .declared import DECLARED
from .spec import AGENCY, PUBLIC, GuideCategory, GuideFact, GuideListing, Kind, LayerSpec, MapStyle, Measure, Simulation

__all__ = ["AGENCY", "KINDS", "PUBLIC", "REGISTRY", "STATES", "GuideCategory", "GuideFact", "GuideListing", "Kind",
           "LayerSpec", "MapStyle", "Measure", "Simulation", "declaration", "kinds", "register", "sync_kinds"]

REGISTRY: dict[str, Kind] = {k.type: k for k in DECLARED}
KINDS = DECLARED  # the kinds Kent ships with (the registry may hold more)

# The states a live-map marker can be in, their colours and the legend's words for them.
STATES: dict[str, tuple[str, Any]] = {
    "good": ("#2a9d8f", _("iyi / boş")), "mid": ("#e9a23b", _("orta")),
    "bad": ("#c8553d", _("dolu / arızalı")), "none": ("#8d99a6", _("veri yok / sessiz")),
}


def register(kind: Kind) -> Kind:
    """Declare a kind (or replace the declaration of its type)."""
    REGISTRY[kind.type] = kind
    return kind


def kinds() -> list[Kind]:
    return list(REGISTRY.values())


def _slug(type_name: str) -> str:
    """'AirQualityObserved' -> 'air-quality-observed'."""
    return slugify(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", type_name))[:80] or "varliklar"


def declaration(type_name: str, row: Any = None) -> Kind:
    """The declared kind of a type, or a plain one made from its AssetKind row."""
    known = REGISTRY.get(type_name)
    if known is not None:
        return known
    title_tr = getattr(row, "title_tr", "") or type_name
    title_en = getattr(row, "title_en", "") or title_tr
    access = PUBLIC if getattr(row, "public", False) else AGENCY
    return Kind(type_name, title_tr, title_en, getattr(row, "schema", None) or {},
                LayerSpec(_slug(type_name), title_tr, title_en, access=access))


def sync_kinds(kind_model: Any) -> None:
    """Create or refresh the declared kinds' rows; takes the model so migrations can pass theirs
    (an early one has no `public` field yet)."""
    has_public = any(f.name == "public" for f in kind_model._meta.get_fields())
    for k in kinds():
        defaults = {"title_tr": k.title_tr, "title_en": k.title_en, "schema": k.schema}
        if has_public:
            defaults["public"] = k.public
        kind_model.objects.update_or_create(type=k.type, defaults=defaults)
