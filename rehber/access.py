"""Which registry layers the public city guide may show: the guide's one answer, asked by its
page (the layer list), its index (places and assets behind categories, search, cards and
"near me"). A layer's rows reach the guide only while the layer is published to the public."""

from geo.models import AccessLevel, Layer


def public_layer(layer: Layer) -> bool:
    """May anyone, without logging in, see this layer's rows in the guide?"""
    return layer.published and layer.access_level == AccessLevel.PUBLIC


def public_layers() -> list[Layer]:
    """The registry layers the guide shows, by Turkish title (a municipality has dozens, not thousands)."""
    return [layer for layer in Layer.objects.order_by("title_tr", "slug") if public_layer(layer)]
