"""Asset kinds as registry layers: one geo.Layer per AssetKind, source smartcity.Asset with
`source_filter = {"kind_id": <type>}`, so every outlet (OGC API Features with the latest state,
vector and raster tiles, WMS, the editor) reads a kind of asset like any other layer.

`ensure_asset_layers` runs where the core layers are installed (build_demo, import_osm), before
assets are imported from a file, and after `migrate` on an installed Kent (a kind a migration
declared gets its layer). Running it again refreshes the description only: a layer keeps its id
(grants, history), its slug, access level and publication, and is saved only when something
changed, because a save moves the OGC registry stamp and rebuilds every worker's configuration."""

import logging
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from geo.layer_defs import LayerDef, Provenance, description_fields, provenance_fields
from geo.models import AccessLevel, GeometryFamily, Layer, TucbsTheme
from geo.sources import source_filter
from smartcity.kinds import declaration
from smartcity.models import Asset, AssetKind

LOG = logging.getLogger(__name__)
ASSET_SOURCE = "smartcity.Asset"
LIVE_NOTE = "Son durum cihaz okumalarından (MQTT/HTTP) her istekte canlı okunur; geçmiş gözlem API'sindedir."


def slug_for(type_name: str) -> str:
    """The slug a new layer of the kind gets (its declaration's, or one made from its type)."""
    return declaration(type_name).layer.slug


def layer_def(kind: AssetKind) -> LayerDef:
    spec = declaration(kind.type, kind).layer
    keywords = [*spec.keywords, kind.type, "akıllı kent", "smart city"]
    abstract = (f"{spec.title_tr}: konumları, öznitelikleri ve son durumları (akıllı kent varlıkları, "
                f"FIWARE {kind.type}). {LIVE_NOTE}")
    return LayerDef(spec.slug, spec.title_tr, spec.title_en or spec.title_tr, spec.theme, GeometryFamily.POINT,
                    abstract, keywords, source=ASSET_SOURCE, source_filter={"kind_id": kind.type},
                    access=AccessLevel(spec.access))


def kind_of(layer: Layer) -> str | None:
    """The kind a registry layer shows when it shows exactly one kind of asset, else None."""
    if layer.source != ASSET_SOURCE:
        return None
    try:
        pairs = source_filter.columns(Asset, layer.source_filter)
    except source_filter.BadSourceFilter:
        return None
    return str(pairs[0][1]) if len(pairs) == 1 and pairs[0][0] == "kind_id" else None


def layers_of(type_name: str) -> list[Layer]:
    """The registry layers showing exactly this kind (normally one; an admin may add more)."""
    return [lyr for lyr in Layer.objects.filter(source=ASSET_SOURCE).order_by("pk") if kind_of(lyr) == type_name]


def _free_slug(wanted: str) -> str:
    """`wanted`, or, when another layer (e.g. a feature-store layer of car parks drawn by hand)
    already has it, `wanted-canli`, `wanted-canli-2`, …: that layer is left as it is."""
    taken = set(Layer.objects.filter(slug__startswith=wanted).values_list("slug", flat=True))
    if wanted not in taken:
        return wanted
    for n in range(1, 100):
        slug = f"{wanted}-canli" + (f"-{n}" if n > 1 else "")
        if slug not in taken:
            LOG.warning("'%s' başka bir katmanın; varlık katmanı '%s' adıyla kuruldu.", wanted, slug)
            return slug
    raise RuntimeError(f"'{wanted}' için boş katman adı bulunamadı.")


def _refresh(layer: Layer, fields: dict[str, Any]) -> bool:
    changed = [name for name, value in fields.items() if getattr(layer, name) != value]
    for name in changed:
        setattr(layer, name, fields[name])
    if changed:
        layer.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


@transaction.atomic
def ensure_asset_layers(prov: Provenance | None = None, kinds: list[AssetKind] | None = None) -> dict[str, Layer]:
    """Create or refresh the layer of every kind (or of `kinds`); returns them by kind type.
    Without a provenance (a file import, a migration) existing layers keep theirs."""
    themes = set(TucbsTheme.objects.values_list("code", flat=True))
    out: dict[str, Layer] = {}
    for kind in kinds if kinds is not None else AssetKind.objects.order_by("type"):
        d = layer_def(kind)
        if d.theme not in themes:
            LOG.warning("TUCBS teması %s yok; %s katmanı kurulmadı.", d.theme, kind.type)
            continue
        fields = description_fields(d)
        del fields["attribute_schema"]  # the kind's schema is the live one (declared_schema)
        if prov is not None:
            fields.update(provenance_fields(prov))
        existing = layers_of(kind.type)
        if existing:
            _refresh(existing[0], fields)
            out[kind.type] = existing[0]
            continue
        if prov is None:  # the unit answering for the rest of the registry answers for this one too
            fields.update(lineage=LIVE_NOTE, responsible_party=Layer.objects.exclude(responsible_party="")
                          .order_by("-updated_at").values_list("responsible_party", flat=True).first() or "")
        out[kind.type] = Layer.objects.create(slug=_free_slug(d.slug), access_level=d.access, published=True,
                                              **fields)
    return out


def declared_schema(layer: Layer) -> dict[str, Any]:
    """The JSON schema of the attributes an asset layer publishes: its kind's (smartcity.sources)."""
    try:
        pairs = dict(source_filter.columns(Asset, layer.source_filter))
    except source_filter.BadSourceFilter:
        return {}  # a filter naming no field shows no rows, and so declares nothing
    kind = AssetKind.objects.filter(type=pairs.get("kind_id")).first() if pairs.get("kind_id") else None
    return kind.schema if kind is not None and isinstance(kind.schema, dict) else {}


def kind_saved(sender: type[AssetKind], instance: AssetKind, raw: bool = False, **kwargs: Any) -> None:
    """A kind's schema names what its layer publishes: touching the layer moves the OGC registry
    stamp, so every worker rebuilds its configuration with the new schema."""
    if raw:
        return
    pks = [lyr.pk for lyr in layers_of(instance.type)]
    if pks:
        Layer.objects.filter(pk__in=pks).update(updated_at=timezone.now())


def after_migrate(apps: Any = None, **kwargs: Any) -> None:
    """post_migrate: on an installed Kent (the registry already has layers), kinds declared by a
    migration get their layers. An empty database stays empty until build_demo or import_osm, and
    a database migrated back below the registry's source_filter is left alone."""
    try:
        if apps is not None:
            apps.get_model("geo", "Layer")._meta.get_field("source_filter")
    except (LookupError, FieldDoesNotExist):
        return
    if Layer.objects.filter(~Q(source=ASSET_SOURCE)).exists():
        ensure_asset_layers()
