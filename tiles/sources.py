"""A registry layer's rows as SQL for tiles, WMS and thematic maps: the publication policy's answer
(`geo.sources.describe_cached`), never a description of tiles' own, so tiles carry exactly what OGC
API Features publishes. Identifiers come from Django's model metadata and are quoted; the values
written into SQL text are the layer's integer id and a typed layer's `source_filter` values, parsed
by their fields and written as literals (Mapnik's datasource takes no query parameters)."""

from geo.models import Layer
from geo.sources import Audience, describe_cached
from geo.sources.sql import Source


def source_of(layer: Layer, audience: Audience = Audience.AGENCY) -> Source:
    """The SQL of a layer's rows and of the attributes `audience` may see (NotPublishable when the
    layer is not open to it). Tiles and WMS serve the public and agencies (tokens are checked
    before); the base map draws the register for everyone and asks as staff for its geometry."""
    return Source.from_data(describe_cached(layer, audience))
