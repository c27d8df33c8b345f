"""Address card (numarataj belgesi): issue it with its accrual, lay it out as a PDF, verify it.

The card carries the address as the register holds it on the day of issue, the 10-digit code of
the bağımsız bölüm as UAVT gave it (or "Tescil bekliyor (awaiting registration)" while it has
none: Kent never invents official codes), a small map, and a verification code with a QR pointing at the public page
`/numarataj/dogrula/<code>/`. Codes are 12 characters of Crockford's base-32 alphabet (no I, L, O,
U: nothing to misread on paper), drawn at random, so they cannot be guessed or enumerated; they are
printed in groups of four and accepted with or without the dashes, in any case."""

import io
import secrets

import segno
from django.db import transaction
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Spacer
from reportlab.platypus.tables import Table, TableStyle

from geo.errors import InvalidInput, NotFound
from geo.services.history import User
from numarataj.models import Adres, BagimsizBolum, Mahalle
from numarataj.models.adres import official_code
from numarataj.models.documents import AdresKarti, TarifeKalemi

from . import minimap, pdf
from .accruals import accrue

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12


# --- the address as text ------------------------------------------------------------------------

def _mahalle(adres: Adres) -> Mahalle | None:
    if adres.mahalle_id:
        return adres.mahalle
    return adres.yapi.mahalle if adres.yapi_id and adres.yapi.mahalle_id else None


def address_rows(adres: Adres, bb: BagimsizBolum | None = None) -> list[tuple[str, str]]:
    """The labelled address lines: mahalle, CSBM, dış kapı, iç kapı (for a unit), ilçe/il."""
    mahalle = _mahalle(adres)
    ilce = adres.csbm.ilce if adres.csbm_id else (mahalle.ilce if mahalle else None)
    rows = [("Mahalle", f"{mahalle.ad} Mahallesi" if mahalle else "—"),
            ("CSBM", adres.csbm.tam_ad if adres.csbm_id else "—"),
            ("Dış kapı no", adres.kapi_no or "—")]
    if bb is not None:
        rows.append(("İç kapı no", bb.ic_kapi_no or "—"))
    rows.append(("İlçe / İl", f"{ilce.ad} / {ilce.il.ad}" if ilce else "—"))
    return rows


def address_text(adres: Adres, bb: BagimsizBolum | None = None) -> str:
    """One line, as on letters: 'İstiklal Mahallesi Çiçek Sokak No: 15 İç Kapı No: 3 Deneme/Ankara'."""
    rows = dict(address_rows(adres, bb))
    unit = f" İç Kapı No: {rows['İç kapı no']}" if bb is not None else ""
    return (f"{rows['Mahalle']} {rows['CSBM']} No: {rows['Dış kapı no']}{unit} "
            f"{rows['İlçe / İl'].replace(' / ', '/')}")


def _complete(bb: BagimsizBolum) -> None:
    adres = bb.adres
    missing = [name for name, ok in (("CSBM", adres.csbm_id), ("dış kapı no", adres.kapi_no),
                                     ("mahalle", _mahalle(adres))) if not ok]
    if missing:
        raise InvalidInput(f"Adres eksik ({', '.join(missing)}); kart düzenlenemez. "
                           f"(The address is incomplete; no card can be issued.)", missing=missing)


# --- codes --------------------------------------------------------------------------------------

def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """'abcd-efgh-jkmn' -> 'ABCDEFGHJKMN'; anything that cannot be a code -> NotFound."""
    code = "".join(ch for ch in (text or "").upper() if ch not in "- ")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise NotFound("Bu doğrulama koduyla düzenlenmiş bir adres kartı yok. (No card has this code.)")
    return code


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def verify(text: str) -> AdresKarti:
    """The card with this verification code, or NotFound (the public page turns it into a 404)."""
    card = (AdresKarti.objects.select_related("bagimsiz_bolum__adres__csbm").filter(kod=normalize_code(text))
            .first())
    if card is None:
        raise NotFound("Bu doğrulama koduyla düzenlenmiş bir adres kartı yok. (No card has this code.)")
    return card


# --- issuing ------------------------------------------------------------------------------------

def _load(bb: BagimsizBolum) -> BagimsizBolum:
    return BagimsizBolum.objects.select_related(
        "adres__csbm__ilce__il", "adres__mahalle__ilce__il", "adres__yapi__mahalle").get(pk=bb.pk)


@transaction.atomic
def issue(bb: BagimsizBolum, *, user: User) -> AdresKarti:
    """Issue a card for a bağımsız bölüm, with its accrual at today's tariff."""
    bb = _load(bb)
    _complete(bb)
    code = new_code()
    while AdresKarti.objects.filter(kod=code).exists():  # 60 random bits: practically never loops
        code = new_code()
    charge = accrue(TarifeKalemi.ADRES_KARTI, 1, user=user, aciklama=f"Adres kartı {display_code(code)} "
                                                                     f"– adres kodu {bb.tescil}")
    return AdresKarti.objects.create(
        kod=code, bagimsiz_bolum=bb, adres_kodu=bb.adres_kodu or "", adres_metni=address_text(bb.adres, bb),
        duzenleyen=user if user is not None and user.is_authenticated else None, tahakkuk=charge)


def is_current(card: AdresKarti) -> bool:
    """Whether the register still gives the address printed on the card (no renaming/renumbering since)."""
    bb = _load(card.bagimsiz_bolum)
    return address_text(bb.adres, bb) == card.adres_metni


# --- the PDF ------------------------------------------------------------------------------------

def _qr(url: str, size: float) -> Image:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return Image(out, width=size, height=size)


def _map(bb: BagimsizBolum, width: float, height: float) -> Image | None:
    """The minimap at 8 px/mm (about 200 dpi), sharp in print."""
    png = minimap.render_png(bb.adres, width=int(width / mm * 8), height=int(height / mm * 8), px_per_mm=8)
    return Image(io.BytesIO(png), width=width, height=height) if png else None


def card_pdf(card: AdresKarti, verify_url: str) -> bytes:
    """The card as an A5 landscape PDF: address block and code left, map right, QR and code below."""
    return pdf.build(card_story(card, verify_url), title=f"Adres kartı {display_code(card.kod)}",
                     pagesize=landscape(A5), margin=10 * mm)


def cards_pdf(cards: list[tuple[AdresKarti, str]], *, title: str) -> bytes:
    """Several cards (each with its verification URL) as one PDF, a card a page, to print at once."""
    story: list = []
    for card, url in cards:
        story += [PageBreak()] if story else []
        story += card_story(card, url)
    return pdf.build(story, title=title, pagesize=landscape(A5), margin=10 * mm)


def card_story(card: AdresKarti, verify_url: str) -> list:
    """One card's flowables (see card_pdf)."""
    bb = _load(card.bagimsiz_bolum)
    page_w, _ = landscape(A5)
    inner = page_w - 20 * mm
    left_w, right_w = inner * 0.52, inner * 0.48
    rows = address_rows(bb.adres, bb) + [("UAVT adres no (dış kapı)", bb.adres.tescil),
                                          ("Adres kodu (bağımsız bölüm)", official_code(card.adres_kodu))]
    ilce_ad = (bb.adres.csbm.ilce.ad if bb.adres.csbm_id else "")
    left = pdf.label_value_table(rows, (left_w * 0.36, left_w * 0.64))
    minimap_img = _map(bb, right_w - 4 * mm, 54 * mm)
    right = minimap_img or pdf.para("(Harita çizilemedi: Mapnik kurulu değil.)", "small")
    body = Table([[left, right]], colWidths=[left_w, right_w])
    body.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (1, 0), (1, 0), 0.5, colors.grey)]))
    issued = timezone.localtime(card.duzenlenme)
    foot_text = pdf.para(
        f"Doğrulama kodu: {display_code(card.kod)}\nDüzenlenme: {issued:%d.%m.%Y %H:%M}\n"
        f"Bu belgenin geçerliliğini karekodu okutarak ya da {verify_url} adresinden doğrulayabilirsiniz.", "small")
    foot = Table([[_qr(verify_url, 22 * mm), foot_text]], colWidths=[26 * mm, inner - 26 * mm])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [*pdf.municipality_header(ilce_ad), Spacer(1, 3 * mm), pdf.para("ADRES KARTI / NUMARATAJ BELGESİ", "title"),
            Spacer(1, 3 * mm), body, Spacer(1, 3 * mm), foot]
