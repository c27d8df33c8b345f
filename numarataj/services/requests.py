"""Address-determination requests (adres tespit) from institutions: register, search the register,
answer, and the reply letter as PDF.

Personal data: a request may name a person (name, T.C. kimlik no). Only numarataj officers (group
"Numarataj Memuru") and superusers see those fields — `can_see_personal` is the one rule that
views, JSON and admin consult. Other staff see the request without them.

Rules chosen: an answered request is final (a correction is a new request/letter); "not found" needs
a note saying why; a given T.C. kimlik no must pass the official checksum. The letter's addressee
line puts the institution in the dative by vowel harmony ("… MÜDÜRLÜĞÜ" → "… MÜDÜRLÜĞÜNE")."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.tables import Table, TableStyle

from geo.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated
from geo.roles import is_officer, is_staff_member
from geo.services.history import User
from geo.text import fold, turkish_upper
from numarataj.models import Adres, BagimsizBolum, Csbm, Mahalle
from numarataj.models.documents import AdresTespitTalebi

from . import pdf
from .cards import address_rows, address_text
from .matching import match_address
from .rules import normalize_door_number

Durum = AdresTespitTalebi.Durum


# --- who may see what ---------------------------------------------------------------------------

def require_officer(user: User) -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Bu işlem için giriş yapmalısınız. (Log in to do this.)")
    if not is_officer(user):
        raise Forbidden("Bu işlem yalnızca numarataj memurlarına açıktır. (Numarataj officers only.)")


can_see_personal = is_officer  # the personal fields of a request: officers only
can_see_requests = is_staff_member  # the requests themselves: municipal staff


def require_staff(user: User) -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Bu sayfa için giriş yapmalısınız. (Log in to see this.)")
    if not can_see_requests(user):
        raise Forbidden("Bu sayfa belediye personeline açıktır. (Municipal staff only.)")


def valid_tckn(value: str) -> bool:
    """The T.C. kimlik no checksum: 11 digits, no leading 0, digits 10 and 11 computed from the rest."""
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    d = [int(c) for c in value]
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    return tenth == d[9] and sum(d[:10]) % 10 == d[10]


# --- register, search, answer -------------------------------------------------------------------

def _text(value: str, label: str, max_length: int, required: bool = True) -> str:
    value = " ".join((value or "").split()) if label != "Adres" else (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{label} gerekli. ({label} is required.)", field=label)
    if len(value) > max_length:
        raise InvalidInput(f"{label} en fazla {max_length} karakter olabilir. (Too long.)", field=label)
    return value


def build_request(*, kurum: str, kurum_belge_no: str, kurum_belge_tarihi: dt.date, adres_metni: str,
                  konu: str = "", kisi_adi: str = "", kisi_tckn: str = "") -> AdresTespitTalebi:
    """A checked, unsaved request (the admin form calls this to show the reason before saving)."""
    if not isinstance(kurum_belge_tarihi, dt.date) or kurum_belge_tarihi > timezone.localdate():
        raise InvalidInput("Kurum belge tarihi geçerli bir geçmiş tarih olmalı. (A past document date is "
                           "required.)", field="kurum_belge_tarihi")
    kisi_tckn = (kisi_tckn or "").strip()
    if kisi_tckn and not valid_tckn(kisi_tckn):
        raise InvalidInput("T.C. kimlik numarası geçersiz (11 hane ve denetim haneleri tutmalı). "
                           "(Invalid T.C. identity number.)", field="kisi_tckn")
    return AdresTespitTalebi(
        kurum=_text(kurum, "Kurum", 200), kurum_belge_no=_text(kurum_belge_no, "Kurum belge sayısı", 60),
        kurum_belge_tarihi=kurum_belge_tarihi, konu=_text(konu, "Konu", 200, required=False) or "Adres tespiti",
        adres_metni=_text(adres_metni, "Adres", 2000), kisi_adi=_text(kisi_adi, "Kişi adı", 150, required=False),
        kisi_tckn=kisi_tckn)


def register(*, user: User, **fields) -> AdresTespitTalebi:
    talep = build_request(**fields)
    talep.kaydeden = user if user is not None and user.is_authenticated else None
    talep.save()
    return talep


@dataclass(frozen=True)
class Candidate:
    adres: Adres
    bagimsiz_bolum: BagimsizBolum | None
    score: float | None = None  # the matcher's 0–100 score; None for a plain register search

    @property
    def text(self) -> str:
        return address_text(self.adres, self.bagimsiz_bolum)


def search(*, mahalle: str = "", csbm: str = "", kapi_no: str = "", ic_kapi_no: str = "",
           limit: int = 20) -> list[Candidate]:
    """Find doors (or units) by mahalle / CSBM name fragments and door numbers, Turkish-case-blind.

    A plain register lookup for the officer's search form; free-text matching is the matcher's job."""
    if not (mahalle.strip() or csbm.strip()):
        raise InvalidInput("Mahalle ya da CSBM adı girin. (Give a mahalle or street name.)", field="csbm")
    doors = Adres.objects.select_related("csbm__ilce__il", "mahalle__ilce__il", "yapi__mahalle")
    if mahalle.strip():
        key = fold(mahalle).removesuffix(" mahallesi").removesuffix(" mah.")
        ids = [pk for pk, ad in Mahalle.objects.values_list("id", "ad") if key in fold(ad)]
        doors = doors.filter(mahalle_id__in=ids)
    if csbm.strip():
        key = fold(csbm)
        ids = [c.pk for c in Csbm.objects.only("id", "tur", "ad", "numara") if key in fold(c.tam_ad)]
        doors = doors.filter(csbm_id__in=ids)
    if kapi_no.strip():
        try:
            doors = doors.filter(kapi_no=normalize_door_number(kapi_no.strip().upper()))
        except InvalidInput as e:
            raise InvalidInput(f"Dış kapı no: {e.message}", field="kapi_no") from e
    doors = list(doors.order_by("csbm_id", "kapi_no", "id")[:limit])
    if not ic_kapi_no.strip():
        return [Candidate(a, None) for a in doors]
    units = BagimsizBolum.objects.filter(adres__in=doors, ic_kapi_no__iexact=ic_kapi_no.strip())
    return [Candidate(u.adres, u) for u in units.select_related("adres")[:limit]]


def suggest(talep: AdresTespitTalebi, limit: int = 5) -> tuple[list[Candidate], str | None]:
    """The textual matcher's doors for the request's address text, best first, or why there are none."""
    result = match_address(talep.adres_metni, limit)
    hits = [c for c in result.candidates if c.adres_id is not None]
    doors = Adres.objects.select_related("csbm__ilce__il", "mahalle__ilce__il", "yapi__mahalle").in_bulk(
        [c.adres_id for c in hits])
    units = BagimsizBolum.objects.in_bulk([c.bagimsiz_bolum_id for c in hits if c.bagimsiz_bolum_id])
    found = [Candidate(doors[c.adres_id], units.get(c.bagimsiz_bolum_id), c.score) for c in hits
             if c.adres_id in doors]
    return found, (None if found else result.reason or "Eşleşen dış kapı yok. (No door matched.)")


@transaction.atomic
def answer(talep: AdresTespitTalebi, *, user: User, yanit_sayi: str, yanit_tarihi: dt.date | None = None,
           adres: Adres | None = None, bagimsiz_bolum: BagimsizBolum | None = None, yanit_notu: str = ""
           ) -> AdresTespitTalebi:
    """Record the answer: the address found (door, optionally the unit) or 'not found' with the reason."""
    talep = AdresTespitTalebi.objects.select_for_update().get(pk=talep.pk)
    if talep.durum != Durum.BEKLIYOR:
        raise Conflict(f"Bu talep zaten yanıtlandı ({talep.yanit_sayi}, {talep.yanit_tarihi}); yanıt değiştirilemez. "
                       f"(The request has already been answered.)", durum=talep.durum)
    if bagimsiz_bolum is not None:
        if adres is not None and adres.pk != bagimsiz_bolum.adres_id:
            raise InvalidInput("Bağımsız bölüm seçilen dış kapıya ait değil. (The unit is not at that door.)",
                               field="bagimsiz_bolum")
        adres = bagimsiz_bolum.adres
    talep.yanit_notu = (yanit_notu or "").strip()
    if adres is None and not talep.yanit_notu:
        raise InvalidInput("Adres bulunamadıysa nedenini yanıt notuna yazın. (Say why no address was found.)",
                           field="yanit_notu")
    talep.yanit_tarihi = yanit_tarihi or timezone.localdate()
    if talep.yanit_tarihi < talep.kurum_belge_tarihi or talep.yanit_tarihi > timezone.localdate():
        raise InvalidInput("Yanıt tarihi talep tarihinden önce ya da ileri bir tarih olamaz. (Bad reply date.)",
                           field="yanit_tarihi")
    talep.yanit_sayi = _text(yanit_sayi, "Yanıt sayısı", 60)
    talep.bulunan_adres, talep.bulunan_bagimsiz_bolum = adres, bagimsiz_bolum
    talep.durum = Durum.BULUNDU if adres is not None else Durum.BULUNAMADI
    talep.yanitlayan = user if user is not None and user.is_authenticated else None
    talep.save()
    return talep


# --- the reply letter ---------------------------------------------------------------------------

def dative(name: str) -> str:
    """Upper-case addressee in the dative: 'Ankara 5. İcra Müdürlüğü' -> 'ANKARA 5. İCRA MÜDÜRLÜĞÜNE'."""
    upper = turkish_upper(name.strip())
    vowels = [c for c in upper if c in "AIOUEİÖÜ"]
    if not vowels or not upper[-1].isalpha():
        return upper
    suffix = "A" if vowels[-1] in "AIOU" else "E"
    return upper + ("N" + suffix if upper[-1] in "AIOUEİÖÜ" else suffix)


def reply_letter_pdf(talep: AdresTespitTalebi) -> bytes:
    """The official reply: sayı, konu, date, addressee, ilgi, body with the found address and its code."""
    if talep.durum == Durum.BEKLIYOR:
        raise Conflict("Talep henüz yanıtlanmadı; önce yanıtı kaydedin. (Record the answer first.)")
    found = talep.bulunan_adres
    ilce = found.csbm.ilce if found is not None and found.csbm_id else None
    head = Table([[pdf.para(f"Sayı : {talep.yanit_sayi}"), pdf.para(f"{talep.yanit_tarihi:%d.%m.%Y}", "right")],
                  [pdf.para(f"Konu : {talep.konu}"), ""]], colWidths=[120 * mm, 50 * mm])
    head.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    person = ""
    if talep.kisi_adi or talep.kisi_tckn:
        who = " ".join(p for p in (talep.kisi_adi, f"(T.C. Kimlik No: {talep.kisi_tckn})" if talep.kisi_tckn else "")
                       if p)
        person = f" {who} ile ilgili"
    intro = (f"İlgi yazınızda{person} tespiti istenen “{talep.adres_metni}” adresi Belediyemiz adres kayıt "
             f"sisteminde (MAKS) incelenmiştir.")
    story = [*pdf.municipality_header(ilce.ad if ilce else "…"), Spacer(1, 8 * mm), head, Spacer(1, 10 * mm),
             pdf.para(dative(talep.kurum), "center_bold"), Spacer(1, 6 * mm),
             pdf.para(f"İlgi : {talep.kurum_belge_tarihi:%d.%m.%Y} tarihli ve {talep.kurum_belge_no} sayılı "
                      f"yazınız."), Spacer(1, 5 * mm), pdf.para(intro, "justify"), Spacer(1, 3 * mm)]
    if found is not None:
        unit = talep.bulunan_bagimsiz_bolum
        rows = address_rows(found, unit)
        if unit is not None:
            rows.append(("Adres kodu", unit.tescil))
        story += [pdf.para("Yapılan tespitte adres aşağıdaki şekilde kayıtlıdır:", "justify"), Spacer(1, 2 * mm),
                  pdf.label_value_table(rows, (50 * mm, 110 * mm))]
    else:
        story.append(pdf.para("Yapılan tespitte söz konusu adres kayıtlarımızda bulunamamıştır.", "justify"))
    if talep.yanit_notu:
        story += [Spacer(1, 3 * mm), pdf.para(talep.yanit_notu, "justify")]
    signer = (talep.yanitlayan.get_full_name() or talep.yanitlayan.get_username()) if talep.yanitlayan else ""
    story += [Spacer(1, 5 * mm), pdf.para("Bilgilerinize rica ederim.", "justify"), Spacer(1, 14 * mm),
              pdf.para(f"{signer}\nNumarataj Servisi", "right"), Spacer(1, 20 * mm),
              pdf.para("Bu yazı Kent adres kayıt sisteminden üretilmiştir.", "small")]
    return pdf.build(story, title=f"Adres tespiti {talep.yanit_sayi}")
