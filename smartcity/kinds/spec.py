"""The shape of one asset kind's declaration: everything Kent says about a kind in one value.

A `Kind` names its FIWARE type and attribute schema, and carries what each part of Kent derives
from it: the registry layer (`LayerSpec`), the live map's marker and legend (`MapStyle`), the demo
simulator (`Simulation`) and the city guide's listing (`GuideListing`). Plain frozen dataclasses,
no Django: migrations and the browser (through `MapStyle.as_json`) read them as well."""

from dataclasses import dataclass, field
from typing import Any

PUBLIC, AGENCY = "public", "agency"  # geo.AccessLevel values; a new layer's default, the layer decides after


@dataclass(frozen=True)
class LayerSpec:
    """The kind's registry layer (smartcity.layers): a new layer gets `access`; afterwards its
    access level, publication and grants are the layer's own and are never reset from here."""

    slug: str
    title_tr: str
    title_en: str
    theme: str = "AY"  # street equipment is kentsel donatı until someone says otherwise
    keywords: tuple[str, ...] = ()
    access: str = AGENCY


@dataclass(frozen=True)
class Measure:
    """A number read from a live state: an attribute, the ratio of two, or one minus an attribute."""

    attribute: str = ""
    ratio: tuple[str, str] | None = None
    complement: str = ""

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in (("attribute", self.attribute), ("ratio", self.ratio),
                                  ("complement", self.complement)) if v}


@dataclass(frozen=True)
class MapStyle:
    """How the live map draws the kind: marker radius and a state per asset, either by a coded
    attribute (`attribute` + `states`) or by a number (`measures`, the first that can be read)
    falling into `bands` ((upper bound, state), ascending; `otherwise` above the last). Legend
    rows are (state, Turkish label, English label). States are the keys of `kinds.STATES`."""

    radius: int = 6
    attribute: str = ""
    states: dict[str, str] = field(default_factory=dict)
    measures: tuple[Measure, ...] = ()
    bands: tuple[tuple[float, str], ...] = ()
    otherwise: str = "none"
    legend: tuple[tuple[str, str, str], ...] = ()

    def as_json(self, lang: str) -> dict[str, Any]:
        """The rule as the browser evaluates it (map.js), legend in the page's language."""
        return {"radius": self.radius, "attribute": self.attribute, "states": self.states,
                "measures": [m.as_json() for m in self.measures], "bands": [list(b) for b in self.bands],
                "otherwise": self.otherwise,
                "legend": [{"state": s, "label": en if lang == "en" else tr} for s, tr, en in self.legend]}


@dataclass(frozen=True)
class Simulation:
    """The demo simulator's model for the kind: a generator in smartcity.simulation, looked up by
    name, and the value ranges it draws from (keyword arguments of that generator)."""

    generator: str
    ranges: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GuideCategory:
    """A category of the city guide that asset kinds feed (several kinds may share one)."""

    slug: str
    title_tr: str
    title_en: str
    colour: str  # marker colour; ≥ 4.5:1 contrast with white text


@dataclass(frozen=True)
class GuideFact:
    """An attribute the guide shows on a card and in its category list: the card's label key
    (tr/en labels given here) and the code table of its values, if any."""

    attribute: str
    key: str
    label_tr: str
    label_en: str
    code: str | None = None


@dataclass(frozen=True)
class GuideListing:
    """How the city guide lists the kind's assets (only while its layer is public and published):
    under `category`, with `facts`; `live` when the card shows the latest state."""

    category: GuideCategory
    facts: tuple[GuideFact, ...] = ()
    live: bool = False


@dataclass(frozen=True)
class Kind:
    """One asset kind. `type` is its FIWARE Smart Data Models name where one exists."""

    type: str
    title_tr: str
    title_en: str
    schema: dict[str, Any]
    layer: LayerSpec
    colour: str = "#5a6370"
    map: MapStyle | None = None  # None: not on the live map
    simulation: Simulation | None = None  # None: nothing to simulate
    guide: GuideListing | None = None  # None: never in the city guide

    @property
    def public(self) -> bool:
        """Whether a new layer of the kind starts public (AssetKind.public mirrors it)."""
        return self.layer.access == PUBLIC
