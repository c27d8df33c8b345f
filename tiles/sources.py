"""A registry layer's rows as SQL for tiles, WMS and thematic maps: the publication policy's answer
(`geo.sources.describe_cached`), never a description of tiles' own, so tiles carry exactly what OGC
API Features publishes. Identifiers come from Django's model metadata and are quoted; the values
written into SQL text are the layer's integer id and a typed layer's `source_filter` values, parsed
by their fields and written as literals (Mapnik's datasource takes no query parameters)."""

import logging

from geo.models import Layer
from geo.sources import Audience, NotPublishable, describe_cached
from geo.sources.sql import Source

LOG = logging.getLogger(__name__)
NOTHING = Source(table='"geo_feature"', id_sql="t.id", geom_sql="t.geom", scope_sql="FALSE")
# The Source of each cached description, by the description's identity: describe_cached hands out
# the same dict while it holds it, so a tile skips serialising it again for Source's own cache.
_built: dict[int, tuple[dict, Source]] = {}


def source_of(layer: Layer, audience: Audience = Audience.AGENCY) -> Source:
    """The SQL of a layer's rows and of the attributes `audience` may see. Tiles and WMS serve the
    public and agencies (tokens are checked before); the base map draws the register for everyone
    and asks as staff for its geometry. A layer the policy refuses (a broken source filter, a source
    nobody registered) is drawn empty, never with every row."""
    try:
        data = describe_cached(layer, audience)
    except NotPublishable as e:
        LOG.warning("Katman %s çizilmiyor: %s", layer.slug, e)
        return NOTHING
    hit = _built.get(id(data))
    if hit is None or hit[0] is not data:
        if len(_built) > 512:
            _built.clear()
        hit = _built[id(data)] = (data, Source.from_data(data))
    return hit[1]
