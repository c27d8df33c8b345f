"""Which registry layers the public city guide may show: the guide's one answer, asked by its
page (the layer list), its index (places and assets behind categories, search, cards and
"near me"). A layer's rows reach the guide only while the publication policy opens the layer
to the public (geo.sources)."""

from geo.models import Layer
from geo.sources import Audience, may_publish, source_fields


def public_layer(layer: Layer) -> bool:
    """May anyone, without logging in, see this layer's rows in the guide?"""
    return may_publish(layer, Audience.PUBLIC)


def public_layers() -> list[Layer]:
    """The registry layers the guide shows, by Turkish title (a municipality has dozens, not thousands)."""
    return [layer for layer in Layer.objects.order_by("title_tr", "slug") if public_layer(layer)]


def shown(source: str) -> set[str]:
    """The register attributes the guide may show of `source` ('numarataj.Yapi'): the publication
    policy's answer for the public, so a field its layer withholds never reaches a card or a search."""
    return source_fields(source, Audience.PUBLIC)
