"""Names of the cached tilesets, shared by the renderers and the invalidation (no Mapnik here, so
the edit hook in apps.ready() loads nothing heavy):

    basemap, basemap@2x              the base map
    layers/<slug>, layers/<slug>@2x  a registry layer in its style
    mvt/<slug>                       a registry layer's vector tiles
    imagery/<slug>, imagery/<slug>@2x  an imagery layer (png and webp side by side)"""

BASEMAP = ["basemap", "basemap@2x"]


def raster_tileset(base: str, scale: int) -> str:
    return f"{base}@{scale}x" if scale > 1 else base


def drawn_tilesets(slug: str) -> list[str]:
    """The PNG tilesets of a registry layer (its style draws them)."""
    return [f"layers/{slug}", f"layers/{slug}@2x"]


def mvt_tileset(slug: str) -> str:
    return f"mvt/{slug}"


def layer_tilesets(slug: str) -> list[str]:
    """Every tileset made from one registry layer's rows (the base map aside)."""
    return [*drawn_tilesets(slug), mvt_tileset(slug)]


def imagery_tilesets(slug: str) -> list[str]:
    return [f"imagery/{slug}", f"imagery/{slug}@2x"]
