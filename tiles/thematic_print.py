"""Printable thematic maps: one A4 landscape layout (title, map, legend, scale bar, north arrow,
data source) drawn once onto either of two small canvases, a PNG (Pillow) or a PDF (reportlab).

The map itself is drawn by Mapnik in the local TUREF/TM zone: near its central meridian grid
north is true north and a metre on the map is a metre on the ground, so the north arrow points
up and the scale bar is honest. Text is DejaVu Sans, embedded in the PDF (searchable)."""

import io
import math
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas

from geo.mapnik_env import DEJAVU_DIR
from geo.sources import Audience

from . import basemap, styles
from .crs import from_lonlat_bbox
from .maps import layer_maplayer
from .mapxml import map_xml
from .render import render_image
from .thematic import ThematicMap

PAGE_W, PAGE_H = 842.0, 595.0  # A4 landscape, points
MARGIN = 28.0
MAP_BOX = (MARGIN, 84.0, 580.0, 462.0)  # x, y (from top), w, h
LEGEND_X = MARGIN + 580.0 + 22.0
MAP_DPI = 200
MAPNIK_DPI = 25.4 / 0.28  # Mapnik's standard pixel is 0.28 mm
FONTS = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


class Canvas(Protocol):
    def text(self, x: float, y: float, s: str, size: float, *, bold: bool = False, colour: str = "#000000",
             anchor: str = "left") -> None: ...
    def rect(self, x: float, y: float, w: float, h: float, *, fill: str | None = None,
             stroke: str | None = None, width: float = 0.5) -> None: ...
    def polygon(self, points: list[tuple[float, float]], *, fill: str | None, stroke: str | None) -> None: ...
    def image(self, x: float, y: float, w: float, h: float, png: bytes) -> None: ...


class PngCanvas:
    """Points in, pixels out at `dpi`."""

    def __init__(self, dpi: int = 150) -> None:
        self.k = dpi / 72.0
        self.img = Image.new("RGB", (round(PAGE_W * self.k), round(PAGE_H * self.k)), "white")
        self.draw = ImageDraw.Draw(self.img)
        self.fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}

    def _font(self, size: float, bold: bool) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        if key not in self.fonts:
            self.fonts[key] = ImageFont.truetype(str(DEJAVU_DIR / FONTS[bold]), round(size * self.k))
        return self.fonts[key]

    def text(self, x, y, s, size, *, bold=False, colour="#000000", anchor="left") -> None:
        a = {"left": "ls", "centre": "ms", "right": "rs"}[anchor]
        self.draw.text((x * self.k, y * self.k), s, fill=colour, font=self._font(size, bold), anchor=a)

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=0.5) -> None:
        self.draw.rectangle([x * self.k, y * self.k, (x + w) * self.k, (y + h) * self.k], fill=fill,
                            outline=stroke, width=max(1, round(width * self.k)) if stroke else 0)

    def polygon(self, points, *, fill, stroke) -> None:
        self.draw.polygon([(px * self.k, py * self.k) for px, py in points], fill=fill, outline=stroke)

    def image(self, x, y, w, h, png) -> None:
        tile = Image.open(io.BytesIO(png)).convert("RGB").resize((round(w * self.k), round(h * self.k)))
        self.img.paste(tile, (round(x * self.k), round(y * self.k)))

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.img.save(buf, "PNG", optimize=True)
        return buf.getvalue()


class PdfCanvas:
    """Points with the origin top-left, as the layout thinks; reportlab's origin is bottom-left."""

    def __init__(self, title: str) -> None:
        for bold, file in FONTS.items():
            name = self._face(bold)
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(DEJAVU_DIR / file)))
        self.buf = io.BytesIO()
        self.c = pdfcanvas.Canvas(self.buf, pagesize=(PAGE_W, PAGE_H))
        self.c.setTitle(title)
        self.c.setCreator("Kent")

    @staticmethod
    def _face(bold: bool) -> str:
        return "DejaVuSans-Bold" if bold else "DejaVuSans"

    def text(self, x, y, s, size, *, bold=False, colour="#000000", anchor="left") -> None:
        self.c.setFont(self._face(bold), size)
        self.c.setFillColor(colour)
        draw = {"left": self.c.drawString, "centre": self.c.drawCentredString, "right": self.c.drawRightString}
        draw[anchor](x, PAGE_H - y, s)

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=0.5) -> None:
        if fill:
            self.c.setFillColor(fill)
        if stroke:
            self.c.setStrokeColor(stroke)
            self.c.setLineWidth(width)
        self.c.rect(x, PAGE_H - y - h, w, h, fill=1 if fill else 0, stroke=1 if stroke else 0)

    def polygon(self, points, *, fill, stroke) -> None:
        path = self.c.beginPath()
        path.moveTo(points[0][0], PAGE_H - points[0][1])
        for px, py in points[1:]:
            path.lineTo(px, PAGE_H - py)
        path.close()
        if fill:
            self.c.setFillColor(fill)
        if stroke:
            self.c.setStrokeColor(stroke)
            self.c.setLineWidth(0.6)
        self.c.drawPath(path, fill=1 if fill else 0, stroke=1 if stroke else 0)

    def image(self, x, y, w, h, png) -> None:
        self.c.drawImage(ImageReader(io.BytesIO(png)), x, PAGE_H - y - h, w, h)

    def save(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def _fit(bbox: tuple[float, float, float, float], w: float, h: float) -> tuple[float, float, float, float]:
    """Grow a bbox by 6 % and to the frame's aspect ratio."""
    minx, miny, maxx, maxy = bbox
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    span_x, span_y = max(maxx - minx, 1.0) * 1.06, max(maxy - miny, 1.0) * 1.06
    if span_x / span_y < w / h:
        span_x = span_y * w / h
    else:
        span_y = span_x * h / w
    return cx - span_x / 2, cy - span_y / 2, cx + span_x / 2, cy + span_y / 2


def render_map(tm: ThematicMap) -> tuple[bytes, float]:
    """The map frame's image (PNG) and the ground metres per printed point."""
    srid = int(settings.LOCAL_SRID)
    ext = tm.units[0].geom.extent
    for u in tm.units[1:]:
        e = u.geom.extent
        ext = (min(ext[0], e[0]), min(ext[1], e[1]), max(ext[2], e[2]), max(ext[3], e[3]))
    _, _, w, h = MAP_BOX
    bbox = _fit(from_lonlat_bbox(ext, srid), w, h)
    mahalle = [m for m in basemap.layers(basemap.parts()) if m.name == "mahalle"]
    stack = [layer_maplayer(tm.layer, Audience.STAFF), *mahalle]
    xml = map_xml(stack, srs=f"epsg:{srid}", background="#f7f5f0")
    px_w, px_h = round(w * MAP_DPI / 72), round(h * MAP_DPI / 72)
    image = render_image(xml, bbox, px_w, px_h, scale=MAP_DPI / MAPNIK_DPI)
    return image.to_string("png"), (bbox[2] - bbox[0]) / w


def _nice(metres: float) -> float:
    power = 10 ** math.floor(math.log10(metres))
    return max(m * power for m in (1, 2, 5) if m * power <= metres)


def _distance(m: float) -> str:
    return f"{m / 1000:g} km" if m >= 1000 else f"{m:g} m"


def compose(c: Canvas, tm: ThematicMap, map_png: bytes, m_per_pt: float) -> None:
    """Draw the whole page on a canvas."""
    x0, y0, w, h = MAP_BOX
    c.text(MARGIN, 46, tm.layer.title_tr, 20, bold=True, colour="#1f2933")
    method = _("eşit aralık") if tm.method == "equal" else _("çeyrekler")
    unit_kind = _("mahalle") if tm.by == "mahalle" else _("ızgara hücresi")
    c.text(MARGIN, 66, _("{label} · {unit_kind} başına · {n} sınıf, {method}").format(
        label=tm.metric.label, unit_kind=unit_kind, n=len(tm.classes), method=method), 11, colour="#52606d")
    c.image(x0, y0, w, h, map_png)
    c.rect(x0, y0, w, h, stroke="#52606d", width=0.8)
    # north arrow, top right inside the frame
    ax, ay = x0 + w - 26, y0 + 16
    c.rect(ax - 15, ay - 6, 30, 54, fill="#ffffff")
    c.polygon([(ax, ay), (ax - 9, ay + 30), (ax, ay + 24)], fill="#1f2933", stroke="#1f2933")
    c.polygon([(ax, ay), (ax + 9, ay + 30), (ax, ay + 24)], fill="#ffffff", stroke="#1f2933")
    c.text(ax, ay + 42, "K", 11, bold=True, anchor="centre")
    # scale bar, bottom left inside the frame
    length_m = _nice(130 * m_per_pt)
    seg = length_m / m_per_pt / 2
    bx, by = x0 + 16, y0 + h - 22
    c.rect(bx - 6, by - 20, 2 * seg + 12 + 60, 32, fill="#ffffff")
    c.rect(bx, by, seg, 5, fill="#1f2933", stroke="#1f2933")
    c.rect(bx + seg, by, seg, 5, fill="#ffffff", stroke="#1f2933")
    c.text(bx, by - 4, "0", 7.5, anchor="centre")
    c.text(bx + 2 * seg, by - 4, _distance(length_m), 7.5, anchor="centre")
    scale = round(m_per_pt / (0.0254 / 72), -2)
    c.text(bx + 2 * seg + 12, by + 5, f"1:{int(scale):,}".replace(",", "."), 8, colour="#52606d")
    # legend
    ly = y0 + 12
    c.text(LEGEND_X, ly, _("Lejant"), 13, bold=True)
    c.text(LEGEND_X, ly + 18, f"{tm.metric.label}" + (f" ({tm.metric.unit})" if tm.metric.unit else ""), 9,
           colour="#52606d")
    style = styles.normalise(tm.layer.style, tm.layer.geometry_family)
    counts = {c_["klass"]: sum(1 for u in tm.units if u.klass == c_["klass"]) for c_ in tm.classes}
    for i, (entry, klass) in enumerate(zip(styles.legend(style), tm.classes, strict=False)):
        ry = ly + 34 + i * 22
        c.rect(LEGEND_X, ry, 22, 14, fill=entry["fill"], stroke="#7b8794", width=0.5)
        c.text(LEGEND_X + 30, ry + 11, entry["label"], 10)
        c.text(LEGEND_X + 200, ry + 11, f"({counts[klass['klass']]})", 8, colour="#7b8794", anchor="right")
    made = formats.date_format(tm.made_at, "j F Y H:i")
    c.text(LEGEND_X, ly + 34 + len(tm.classes) * 22 + 14, _("Parantez içinde: birim sayısı"), 7.5, colour="#7b8794")
    # data source
    c.text(MARGIN, PAGE_H - 26, _("Veri kaynağı: {source}; mahalle sınırları: Kent MAKS kaydı. "
                                  "Harita: Kent, {made}. Koordinat sistemi: EPSG:{srid}.").format(
        source=tm.metric.source, made=made, srid=settings.LOCAL_SRID), 8, colour="#52606d")


def export(tm: ThematicMap, png_path: str | Path | None = None, pdf_path: str | Path | None = None) -> dict:
    """Write the PNG and/or PDF; returns their bytes by format."""
    map_png, m_per_pt = render_map(tm)
    out = {}
    for fmt, path in (("png", png_path), ("pdf", pdf_path)):
        if path is None:
            continue
        canvas = PngCanvas() if fmt == "png" else PdfCanvas(tm.layer.title_tr)
        compose(canvas, tm, map_png, m_per_pt)
        data = canvas.save()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)
        out[fmt] = data
    return out
