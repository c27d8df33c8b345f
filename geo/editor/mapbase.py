"""Where every Kent map page starts: Kent's own base map underneath, imagery as alternative
backgrounds, and the municipality's extent, computed here once and put into the page config, so the
editor and the numarataj map pages open the same way (`geo/static/geo/map-base.js` draws it).

geo imports no outlet: the tiles app registers the backgrounds it serves (`register_backgrounds` in
its `AppConfig.ready()`), as typed models register their sources. Without it a map simply has no
background. Every background is a tile URL on this server: nothing is loaded from outside."""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.http import HttpRequest

from geo.models import Feature, Layer

from .geojson import geometry_field

# TUCBS administrative units (İdari Birimler): the register's mahalleler and ilçe
HOME_THEME = "IB"
# where a map opens when no layer holds data yet; a deployment sets its own district
DEFAULT_CENTER = (39.925, 32.837)
DEFAULT_ZOOM = 13

Box = tuple[float, float, float, float]   # west, south, east, north in EPSG:4326


@dataclass(frozen=True)
class Background:
    """One tile layer a map may lie on; `base` marks Kent's own base map, drawn first."""

    slug: str
    title: str
    url: str                       # XYZ template on this server, e.g. "/tiles/basemap/{z}/{x}/{y}{r}.png"
    attribution: str = ""
    base: bool = False
    bounds: Box | None = None      # no tiles are asked for outside it
    max_native_zoom: int = 19


BackgroundProvider = Callable[[HttpRequest], Iterable[Background]]
_PROVIDERS: list[BackgroundProvider] = []


def register_backgrounds(provider: BackgroundProvider) -> None:
    """Called by an outlet at start-up; the provider is asked per request (rights may differ)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def backgrounds(request: HttpRequest) -> list[Background]:
    """The base map first, then the alternatives in the providers' order."""
    found = [b for provider in _PROVIDERS for b in provider(request)]
    return sorted(found, key=lambda b: not b.base)


def _union(boxes: Iterable[Box | None]) -> Box | None:
    real = [b for b in boxes if b]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real), max(b[3] for b in real))


def _extent_of(layers: list[Layer]) -> Box | None:
    """The layers' data together: the feature store in one query, each typed source in one."""
    store = [lyr.pk for lyr in layers if lyr.is_feature_store]
    boxes: list[Box | None] = []
    if store:
        boxes.append(Feature.objects.filter(layer_id__in=store).aggregate(e=Extent("geom"))["e"])
    for lyr in layers:
        if lyr.is_feature_store:
            continue
        try:
            model = lyr.source_model()
        except LookupError:   # a source whose app is not installed here
            continue
        boxes.append(lyr.rows().aggregate(e=Extent(geometry_field(model)))["e"])
    return _union(boxes)


def home_extent() -> Box | None:
    """The municipality: the administrative-unit layers (the register's mahalleler and ilçe), or
    every layer's data when there is no register yet; None when Kent holds no data at all."""
    layers = list(Layer.objects.all())
    return _extent_of([lyr for lyr in layers if lyr.theme_id == HOME_THEME]) or _extent_of(layers)


def map_config(request: HttpRequest) -> dict[str, Any]:
    """The part of a map page's JSON config that `KentMap.create` reads."""
    extent = home_extent()
    return {
        "extent": list(extent) if extent else None,
        "center": list(getattr(settings, "KENT_MAP_CENTER", DEFAULT_CENTER)),
        "zoom": getattr(settings, "KENT_MAP_ZOOM", DEFAULT_ZOOM),
        "backgrounds": [asdict(b) for b in backgrounds(request)],
    }
