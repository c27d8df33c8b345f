"""Shared PDF helpers for the office's documents (address card, reply letter).

ReportLab's built-in Helvetica has no glyphs for İ ı Ş ş Ğ ğ, so every document uses DejaVu Sans,
registered once from the system fonts (KENT_FONT_DIR overrides the folder)."""

import functools
import io
from pathlib import Path

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus.tables import Table, TableStyle

from geo.text import turkish_upper

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular + bold) as one family, so <b> in paragraphs works too."""
    folder = Path(getattr(settings, "KENT_FONT_DIR", DEFAULT_FONT_DIR))
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
    return {
        "body": body,
        "justify": ParagraphStyle("justify", parent=body, alignment=TA_JUSTIFY, firstLineIndent=12 * mm),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        "label": ParagraphStyle("label", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")),
        "value": ParagraphStyle("value", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18,
                                alignment=TA_CENTER),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "center_bold": ParagraphStyle("center_bold", parent=body, fontName=FONT_BOLD, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: a name such as 'Ali & Veli' must not break the markup)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    return Paragraph(escaped, styles()[style])


def municipality_header(ilce_ad: str, unit: str = "İmar ve Şehircilik Müdürlüğü") -> list[Flowable]:
    """The heading every official document of the office starts with."""
    return [para("T.C.", "center_bold"), para(f"{turkish_upper(ilce_ad)} BELEDİYE BAŞKANLIĞI", "center_bold"),
            para(unit, "center")]


def label_value_table(rows: list[tuple[str, str]], widths: tuple[float, float]) -> Table:
    """A two-column block of labelled values, the layout of the card's address part."""
    data = [[para(label, "label"), para(value, "value")] for label, value in rows]
    table = Table(data, colWidths=list(widths))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor("#cccccc")),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def build(story: list[Flowable], *, title: str, pagesize: tuple[float, float] = A4,
          margin: float = 20 * mm) -> bytes:
    """Lay the flowables out into a PDF and return its bytes (documents are made per request)."""
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=pagesize, title=title, author="Kent", leftMargin=margin,
                            rightMargin=margin, topMargin=margin, bottomMargin=margin)
    doc.build(story)
    return out.getvalue()
