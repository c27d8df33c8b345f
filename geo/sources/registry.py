"""One table of layer sources, looked up by `Layer.source`, after pygeoapi's plugin registry.

geo registers the feature store; numarataj and smartcity register their typed models in their
`AppConfig.ready()`. A model nobody registered is not publishable, whatever a registry row says:
a new model is private until its app decides otherwise."""

from typing import TYPE_CHECKING

from .base import NotPublishable, SourceSpec

if TYPE_CHECKING:
    from geo.models import Layer

_SOURCES: dict[str, SourceSpec] = {}


def register(spec: SourceSpec) -> None:
    _SOURCES[spec.name] = spec


def spec_for(layer_or_source: "Layer | str") -> SourceSpec:
    name = layer_or_source if isinstance(layer_or_source, str) else layer_or_source.source
    try:
        return _SOURCES[name]
    except KeyError:
        raise NotPublishable(f"{name} yayınlanabilir bir kaynak değil. (Not a publishable source.)") from None


def registered() -> dict[str, SourceSpec]:
    return dict(_SOURCES)
