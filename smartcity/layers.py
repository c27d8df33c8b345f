"""Asset kinds as registry layers: one geo.Layer per AssetKind, source smartcity.Asset with
`source_filter = {"kind_id": <type>}`, so every outlet (OGC API Features with the latest state,
vector and raster tiles, WMS, the editor) reads a kind of asset like any other layer.

`ensure_asset_layers` runs where the core layers are installed (build_demo, import_osm), before
assets are imported from a file, and after `migrate` on an installed Kent (a kind a migration
declared gets its layer). Running it again refreshes the description only: a layer keeps its id
(grants, history), its slug, access level and publication, and is saved only when something
changed, because a save moves the OGC registry stamp and rebuilds every worker's configuration."""

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from geo.layer_defs import LayerDef, Provenance, description_fields, provenance_fields
from geo.models import AccessLevel, GeometryFamily, Layer, TucbsTheme
from geo.sources import source_filter
from smartcity.models import Asset, AssetKind

LOG = logging.getLogger(__name__)
ASSET_SOURCE = "smartcity.Asset"
LIVE_NOTE = "Son durum cihaz okumalarından (MQTT/HTTP) her istekte canlı okunur; geçmiş gözlem API'sindedir."


@dataclass(frozen=True)
class KindLayer:
    """How a known kind is presented as a layer (a kind added later gets defaults from its type)."""

    slug: str
    theme: str
    title_tr: str
    title_en: str
    keywords: tuple[str, ...]


KIND_LAYERS: dict[str, KindLayer] = {
    "OffStreetParking": KindLayer("otoparklar", "UL", "Otoparklar", "Car parks",
                                  ("otopark", "doluluk", "boş yer", "parking")),
    "ParkingSpot": KindLayer("park-yerleri", "UL", "Park yerleri", "Parking spots",
                             ("park yeri", "sensör", "parking spot")),
    "TrafficSignal": KindLayer("trafik-sinyalleri", "UL", "Trafik sinyalleri (sinyalize kavşaklar)",
                               "Traffic signals", ("trafik", "sinyalizasyon", "kavşak", "traffic signal")),
    "WasteContainer": KindLayer("atik-konteynerleri", "AY", "Atık konteynerleri", "Waste containers",
                                ("atık", "çöp", "konteyner", "doluluk", "waste container")),
    "Camera": KindLayer("kameralar", "AY", "Kameralar", "Cameras", ("kamera", "izleme", "camera")),
}
DEFAULT_THEME = "AY"  # a new kind of street equipment is kentsel donatı until someone says otherwise


def slug_for(type_name: str) -> str:
    """A known kind's slug, or one made from a later kind's type ('AirQualityObserved' ->
    'air-quality-observed')."""
    known = KIND_LAYERS.get(type_name)
    if known:
        return known.slug
    return slugify(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", type_name))[:80] or "varliklar"


def layer_def(kind: AssetKind) -> LayerDef:
    known = KIND_LAYERS.get(kind.type)
    title_tr = known.title_tr if known else kind.title_tr
    title_en = known.title_en if known else kind.title_en
    keywords = [*(known.keywords if known else ()), kind.type, "akıllı kent", "smart city"]
    abstract = (f"{title_tr}: konumları, öznitelikleri ve son durumları (akıllı kent varlıkları, "
                f"FIWARE {kind.type}). {LIVE_NOTE}")
    return LayerDef(slug_for(kind.type), title_tr, title_en or title_tr, known.theme if known else DEFAULT_THEME,
                    GeometryFamily.POINT, abstract, keywords, source=ASSET_SOURCE,
                    source_filter={"kind_id": kind.type},
                    access=AccessLevel.PUBLIC if kind.public else AccessLevel.AGENCY)


def _shows_kind(layer: Layer, type_name: str) -> bool:
    try:
        return source_filter.columns(Asset, layer.source_filter) == [("kind_id", type_name)]
    except source_filter.BadSourceFilter:
        return False


def layers_of(type_name: str) -> list[Layer]:
    """The registry layers showing exactly this kind (normally one; an admin may add more)."""
    return [lyr for lyr in Layer.objects.filter(source=ASSET_SOURCE).order_by("pk") if _shows_kind(lyr, type_name)]


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
    """The JSON schema of the attributes an asset layer publishes: its kind's (sources.ASSET_VIEW)."""
    pairs = dict(source_filter.columns(Asset, layer.source_filter))
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
