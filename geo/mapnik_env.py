"""The one place that imports Mapnik; everything else does `from geo.mapnik_env import mapnik`.

The Mapnik wheel's `__init__` points PROJ_LIB (and GDAL_DATA) at folders inside the wheel that
hold no proj.db. Its own PROJ is linked statically with the database built in, so it does not
need them; but GeoDjango's GDAL, pyproj and rasterio read those variables and then fail to find
any CRS. So the import saves the variables, lets Mapnik set them, and puts them back.
ICU_DATA (set the same way) is Mapnik's alone and is kept for its text shaping."""

import os
from pathlib import Path

_PROJ_VARS = ("PROJ_LIB", "PROJ_DATA", "GDAL_DATA")
_saved = {name: os.environ.get(name) for name in _PROJ_VARS}
try:
    import mapnik  # noqa: E402 - deliberately inside the save/restore
finally:
    for _name, _value in _saved.items():
        if _value is None:
            os.environ.pop(_name, None)
        else:
            os.environ[_name] = _value

# Mapnik's PostGIS plugin opens libpq connections of its own and blocks in C++ while holding
# Python's GIL. If such a query waits on a table lock held by a transaction of this same process
# (a flush, a migration), that transaction can never commit: a deadlock PostgreSQL cannot see.
# A lock timeout on Mapnik's connections turns that into one failed tile. libpq reads PGOPTIONS
# only for connections that set no `options` of their own; Django's set theirs (kent/settings.py).
os.environ.setdefault("PGOPTIONS", "-c lock_timeout=5000")

# Labels use Debian's DejaVu fonts (fonts-dejavu-core), the same faces everywhere Kent prints.
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
if DEJAVU_DIR.is_dir():
    mapnik.register_fonts(str(DEJAVU_DIR))

FONT = "DejaVu Sans Book"
FONT_BOLD = "DejaVu Sans Bold"
FONT_ITALIC = "DejaVu Sans Oblique"
FONT_CONDENSED_BOLD = "DejaVu Sans Condensed Bold"

__all__ = ["FONT", "FONT_BOLD", "FONT_CONDENSED_BOLD", "FONT_ITALIC", "mapnik"]
