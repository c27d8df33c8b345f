"""Imagery: GeoTIFF in, Cloud-Optimized GeoTIFF stored, Web Mercator PNG/WebP tiles out (rasterio).

A COG keeps 256 px internal tiles and internal overviews, so a tile at any zoom reads a few
blocks of the right overview instead of the whole image. Each tile is warped to EPSG:3857 on
the fly from the overview nearest the tile's resolution (opened explicitly with overview_level),
then coloured by the record's rendering:

    rgb   three bands, each stretched from `range` to 0..255
    ramp  one band through a colour ramp (`ramp`: "ndvi" or "grey") over `range`
    grey  one band stretched from `range`

Pixels outside the image are transparent."""

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.shutil
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from rasterio.enums import Resampling
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from .grid import tile_bounds

TILE_PX = 256
# NDVI: water and built surfaces grey, bare soil beige, then sparse to dense vegetation in greens.
RAMPS: dict[str, list[tuple[float, str]]] = {
    "ndvi": [(-1.0, "#1a1a1a"), (-0.2, "#bdbdbd"), (0.0, "#efe9dc"), (0.1, "#d8c98f"), (0.2, "#b5c96a"),
             (0.3, "#85b44c"), (0.45, "#4f9431"), (0.6, "#25701c"), (1.0, "#0b4010")],
    "grey": [(0.0, "#000000"), (1.0, "#ffffff")],
}


@dataclass(frozen=True)
class RasterInfo:
    width: int
    height: int
    count: int
    dtype: str
    crs: str
    bounds_lonlat: tuple[float, float, float, float]
    overviews: list[int]
    tiled: bool
    data_range: tuple[float, float]


def describe(path: str | Path) -> RasterInfo:
    """Size, bands, CRS, lon/lat bounds, overviews and the value range (from an overview read)."""
    with rasterio.open(path) as src:
        bounds = transform_bounds(src.crs, "EPSG:4326", *src.bounds, densify_pts=21)
        step = max(1, max(src.width, src.height) // 1024)
        sample = src.read(out_shape=(src.count, max(1, src.height // step), max(1, src.width // step)),
                          masked=True)
        lo, hi = (float(sample.min()), float(sample.max())) if sample.count() else (0.0, 1.0)
        return RasterInfo(src.width, src.height, src.count, src.dtypes[0], src.crs.to_string(), bounds,
                          src.overviews(1), bool(src.profile.get("tiled")), (lo, hi))


def to_cog(source: str | Path, target: str | Path) -> None:
    """Write a Cloud-Optimized GeoTIFF: 256 px tiles, DEFLATE, averaged internal overviews."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp.tif")
    with rasterio.open(source) as src:
        predictor = "FLOATING_POINT" if src.dtypes[0].startswith("float") else "STANDARD"
        rasterio.shutil.copy(src, tmp, driver="COG", COMPRESS="DEFLATE", PREDICTOR=predictor, BLOCKSIZE=TILE_PX,
                             OVERVIEW_RESAMPLING="AVERAGE", OVERVIEWS="IGNORE_EXISTING", BIGTIFF="IF_SAFER")
    shutil.move(tmp, target)


def guess_rendering(info: RasterInfo, hint: str = "") -> dict[str, Any]:
    """A sensible rendering: three or more bands as RGB; one band through the NDVI ramp when it
    looks like NDVI (named so, values within -1..1), else as grey. Ranges: 0..255 for bytes,
    else the data's own range (a 0..1 float RGB stays 0..1)."""
    lo, hi = info.data_range
    if info.dtype == "uint8":
        lo, hi = 0.0, 255.0
    elif info.dtype.startswith("float") and lo >= 0 and hi <= 1:
        lo, hi = 0.0, 1.0
    if info.count >= 3:
        return {"mode": "rgb", "bands": [1, 2, 3], "range": [lo, hi]}
    if "ndvi" in hint.lower() and lo >= -1 and hi <= 1:
        return {"mode": "ramp", "band": 1, "ramp": "ndvi", "range": [-1.0, 1.0]}
    return {"mode": "grey", "band": 1, "range": [lo, hi]}


def _overview_level(src: rasterio.DatasetReader, want_res: float) -> int | None:
    """The coarsest overview still at least as fine as the wanted resolution (source units)."""
    level = None
    for i, factor in enumerate(src.overviews(1)):
        if abs(src.res[0]) * factor <= want_res:
            level = i
    return level


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _stretch(band: np.ndarray, lo: float, hi: float) -> np.ndarray:
    scale = 255.0 / (hi - lo) if hi > lo else 1.0
    return np.clip((band.astype("float64") - lo) * scale, 0, 255).astype("uint8")


def colourise(bands: np.ndarray, rendering: dict[str, Any]) -> np.ndarray:
    """(n, h, w) band values -> (h, w, 3) uint8 RGB."""
    lo, hi = (rendering.get("range") or [0.0, 1.0])[:2]
    mode = rendering.get("mode", "rgb")
    if mode == "rgb":
        return np.dstack([_stretch(b, lo, hi) for b in bands[:3]])
    if mode == "ramp":
        stops = RAMPS.get(rendering.get("ramp", "ndvi"), RAMPS["ndvi"])
        values = np.clip(bands[0].astype("float64"), lo, hi)
        xs = [s for s, _ in stops]
        rgb = np.array([_hex_rgb(c) for _, c in stops], dtype="float64")
        return np.dstack([np.interp(values, xs, rgb[:, i]) for i in range(3)]).astype("uint8")
    grey = _stretch(bands[0], lo, hi)
    return np.dstack([grey, grey, grey])


def _band_indexes(rendering: dict[str, Any], count: int) -> list[int]:
    if rendering.get("mode", "rgb") == "rgb":
        bands = rendering.get("bands") or [1, 2, 3]
    else:
        bands = [rendering.get("band", 1)]
    return [b for b in bands if isinstance(b, int) and 1 <= b <= count] or [1]


def read_tile(path: str | Path, rendering: dict[str, Any], z: int, x: int, y: int, scale: int = 1) -> np.ndarray | None:
    """The tile as (h, w, 4) RGBA, or None when the image does not reach it."""
    size = TILE_PX * scale
    bounds = tile_bounds(z, x, y)
    with rasterio.open(path) as src:
        sb = transform_bounds("EPSG:3857", src.crs, *bounds, densify_pts=5)
        if sb[0] >= src.bounds.right or sb[2] <= src.bounds.left or sb[1] >= src.bounds.top \
                or sb[3] <= src.bounds.bottom:
            return None
        level = _overview_level(src, (sb[2] - sb[0]) / size)
        indexes = _band_indexes(rendering, src.count)
    opts = {"overview_level": level} if level is not None else {}
    with rasterio.open(path, **opts) as src, WarpedVRT(
            src, crs="EPSG:3857", transform=from_bounds(*bounds, size, size), width=size, height=size,
            resampling=Resampling.bilinear, add_alpha=True) as vrt:
        data = vrt.read([*indexes, vrt.count])
    alpha = data[-1]
    if not alpha.any():
        return None
    bands = data[:-1]
    valid = alpha > 0
    if np.issubdtype(bands.dtype, np.floating):
        valid &= np.isfinite(bands).all(axis=0)
    rgb = colourise(np.nan_to_num(bands), rendering)
    return np.dstack([rgb, np.where(valid, 255, 0).astype("uint8")])


def encode(rgba: np.ndarray | None, fmt: str, *, attribution: str = "", size: int = TILE_PX) -> bytes:
    """PNG (attribution in its Copyright text chunk) or lossless-alpha WebP; None gives a clear tile."""
    if rgba is None:
        rgba = np.zeros((size, size, 4), dtype="uint8")
    image = Image.fromarray(rgba, "RGBA")
    buf = io.BytesIO()
    if fmt == "webp":
        image.save(buf, "WEBP", quality=85, method=4)
    else:
        info = PngInfo()
        if attribution:
            info.add_text("Copyright", attribution)
        image.save(buf, "PNG", pnginfo=info, compress_level=6)
    return buf.getvalue()
