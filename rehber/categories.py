"""The place categories a citizen browses, declared as data: each names where its places come from.

A category draws from registry layers (optionally only rows whose `tur` is in a set), from
smart-city asset kinds, or from the register's streets of one kind (squares are sights). Layer and
street categories are entries here; asset categories come from the kinds' declarations
(smartcity.kinds: a kind's `guide` names its category), so a new kind needs no edit here.
Only public, published layers ever feed the guide (rehber.access); that is checked where rows are read."""

from dataclasses import dataclass, field

from geo.text import turkish_lower
from smartcity.kinds import GuideCategory
from smartcity.kinds import kinds as declared_kinds

# OSM `tourism`/`historic`/`amenity` values that make a row of the catch-all layer a sight.
SIGHT_KINDS = frozenset({
    "attraction", "museum", "monument", "memorial", "viewpoint", "artwork", "arts_centre", "theatre",
    "castle", "ruins", "fountain", "gallery", "archaeological_site", "müze", "anıt", "tarihi yapı",
})


@dataclass(frozen=True)
class LayerSource:
    """Rows of a feature-store layer; `kinds` limits them to these `tur` values."""

    layer: str
    kinds: frozenset[str] | None = None

    def accepts(self, properties: dict) -> bool:
        return self.kinds is None or turkish_lower(str(properties.get("tur", ""))) in self.kinds


@dataclass(frozen=True)
class AssetSource:
    """Smart-city assets of one kind; `live` when the kind publishes its latest state."""

    kind: str
    live: bool = False


@dataclass(frozen=True)
class StreetSource:
    """Register streets (CSBM) of one kind, e.g. squares."""

    tur: str


Source = LayerSource | AssetSource | StreetSource


@dataclass(frozen=True)
class Category:
    slug: str
    title_tr: str
    title_en: str
    colour: str  # marker colour; all have ≥ 4.5:1 contrast with white text
    sources: tuple[Source, ...] = field(default_factory=tuple)

    @property
    def live_kind(self) -> str | None:
        return next((s.kind for s in self.sources if isinstance(s, AssetSource) and s.live), None)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_tr


LAYER_CATEGORIES: tuple[Category, ...] = (
    Category("eczane", "Eczaneler", "Pharmacies", "#2b7a3b", (LayerSource("eczaneler"),)),
    Category("saglik", "Hastane ve sağlık merkezleri", "Hospitals and health centres", "#c0262d",
             (LayerSource("saglik-tesisleri"),)),
    Category("okul", "Okullar", "Schools", "#1c5fa8", (LayerSource("okullar"),)),
    Category("cami", "Camiler", "Mosques", "#0b6e75", (LayerSource("ibadet-yerleri"),)),
    Category("park", "Parklar", "Parks", "#3d6b12", (LayerSource("parklar"),)),
    Category("kutuphane", "Kütüphaneler", "Libraries", "#6b3fb0", (LayerSource("kutuphaneler"),)),
    Category("tuvalet", "Umumi tuvaletler", "Public toilets", "#5a6370", (LayerSource("tuvaletler"),)),
    Category("durak", "Otobüs durakları", "Bus stops", "#b34700", (LayerSource("otobus-duraklari"),)),
    Category("gezi", "Gezilecek yerler", "Tourist sights", "#a3145a",
             (LayerSource("turistik-yerler"), LayerSource("diger-yerler", SIGHT_KINDS), StreetSource("meydan"))),
)
CATCH_ALL = Category("diger", "Diğer kamu yerleri", "Other public places", "#7a5a00", (LayerSource("diger-yerler"),))


def asset_categories() -> list[Category]:
    """One category per guide category the declared kinds name, fed by every kind naming it."""
    found: dict[str, tuple[GuideCategory, list[AssetSource]]] = {}
    for kind in declared_kinds():
        if kind.guide is not None:
            entry = found.setdefault(kind.guide.category.slug, (kind.guide.category, []))
            entry[1].append(AssetSource(kind.type, live=kind.guide.live))
    return [Category(c.slug, c.title_tr, c.title_en, c.colour, tuple(sources)) for c, sources in found.values()]


def categories() -> tuple[Category, ...]:
    """Every category in the order the guide shows them; the catch-all last."""
    return (*LAYER_CATEGORIES, *asset_categories(), CATCH_ALL)


def by_slug() -> dict[str, Category]:
    return {c.slug: c for c in categories()}


def layer_sources() -> list[tuple[Category, LayerSource]]:
    """(category, source) for every layer source, in declaration order: the first that accepts a row wins."""
    return [(c, s) for c in categories() for s in c.sources if isinstance(s, LayerSource)]


def asset_sources() -> list[tuple[Category, AssetSource]]:
    return [(c, s) for c in categories() for s in c.sources if isinstance(s, AssetSource)]


def street_sources() -> list[tuple[Category, StreetSource]]:
    return [(c, s) for c in categories() for s in c.sources if isinstance(s, StreetSource)]
