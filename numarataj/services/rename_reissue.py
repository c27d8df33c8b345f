"""What a street's rename makes the office reissue, once the new name is in effect.

- Plates: every door of the street, since a door plate carries the street's name; the street-name
  plates at the first and last door of each side and at junctions with a cadde or bulvar, as the
  numbering plan's sign list places them (`levha`), now with the new name.
- Cards: every bağımsız bölüm whose latest address card no longer reads as the register does (it
  was printed with the old name). A card issued since the rename is reused, not issued again, so
  the one-click bundle can be asked for twice without charging twice.
Nothing is reissued before the decision is in effect: until then the register holds the old name."""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from geo.errors import Conflict
from geo.services.history import User
from numarataj.models import Adres, BagimsizBolum, Csbm
from numarataj.models.documents import AdresKarti
from numarataj.models.naming import AdlandirmaKarari

from . import cards, levha

D = AdlandirmaKarari.Durum


@dataclass
class Kapi:
    """One door of the renamed street and what it needs."""

    adres: Adres
    mahalle: str
    bolumler: list[BagimsizBolum] = field(default_factory=list)
    eski_kartlar: list[BagimsizBolum] = field(default_factory=list)  # units whose card shows the old name


def renamed_street(karar: AdlandirmaKarari) -> Csbm:
    """The CSBM of a rename in effect; Conflict for anything else."""
    if karar.tur != AdlandirmaKarari.Tur.AD_DEGISIKLIGI or karar.csbm_id is None:
        raise Conflict("Yeniden basım listesi yalnızca ad değişikliği kararlarında vardır; ad verme kararıyla "
                       "açılan sokağın kapıları yeni numaralanır. (Reissue lists exist for renames only.)",
                       tur=karar.tur)
    if karar.durum != D.YURURLUKTE:
        raise Conflict(f"Karar #{karar.pk} henüz yürürlükte değil ({karar.get_durum_display()}); levha ve kartlar "
                       f"yeni ad yürürlüğe girince yeniden basılır. (The rename is not in effect yet.)",
                       durum=karar.durum)
    return Csbm.objects.select_related("ilce__il").get(pk=karar.csbm_id)


def _number_key(adres: Adres) -> tuple[int, str]:
    match = re.match(r"\d+", adres.kapi_no or "")
    return (int(match.group()) if match else 10**9, adres.kapi_no or "")


def _latest_card(bb: BagimsizBolum) -> AdresKarti | None:
    issued = list(bb.kartlar.all())  # prefetched, newest first (the model's ordering)
    return issued[0] if issued else None


def doors(karar: AdlandirmaKarari) -> list[Kapi]:
    """Every door of the renamed street, by side and number, with the units holding an outdated card."""
    csbm = renamed_street(karar)
    rows = (Adres.objects.filter(csbm=csbm).select_related("csbm__ilce__il", "mahalle", "yapi__mahalle")
            .prefetch_related(Prefetch("bagimsiz_bolumler", BagimsizBolum.objects.order_by("ic_kapi_no", "id")),
                              "bagimsiz_bolumler__kartlar"))
    found = []
    for adres in sorted(rows, key=lambda a: (a.taraf, _number_key(a), a.pk)):
        mahalle = cards._mahalle(adres)
        kapi = Kapi(adres, mahalle.ad if mahalle else "", list(adres.bagimsiz_bolumler.all()))
        for bb in kapi.bolumler:
            card = _latest_card(bb)
            if card is not None and card.adres_metni != cards.address_text(adres, bb):
                kapi.eski_kartlar.append(bb)
        found.append(kapi)
    return found


def _door_sign(kapi: Kapi, csbm: Csbm, tur: str, metin: str, neden: str) -> levha.Levha:
    a = kapi.adres
    return levha.Levha(tur, csbm.tam_ad, kapi.mahalle, metin, a.kapi_no if tur == "kapi" else "",
                       levha.TARAF.get(a.taraf, a.taraf), neden, round(a.geom.x, 7), round(a.geom.y, 7))


def sign_list(karar: AdlandirmaKarari) -> list[levha.Levha]:
    """Street-name plates (each side's first and last door, junctions), then a plate for every door."""
    csbm = renamed_street(karar)
    found = doors(karar)
    signs = []
    for taraf in ("sol", "sag", ""):
        side = [k for k in found if k.adres.taraf == taraf and k.adres.kapi_no]
        if not side:
            continue
        first, last = side[0], side[-1]
        span = f"{first.adres.kapi_no} → {last.adres.kapi_no}" if first is not last else first.adres.kapi_no
        text = f"{csbm.tam_ad} ({span})"
        signs.append(_door_sign(first, csbm, "sokak", text, f"{levha.TARAF[taraf]}: ilk kapı"))
        if last is not first:
            signs.append(_door_sign(last, csbm, "sokak", text, f"{levha.TARAF[taraf]}: son kapı"))
    signs += levha._junction_plates([csbm])
    reason = f"ad değişikliği (karar #{karar.pk}): {karar.eski_tam_ad} → {karar.yeni_tam_ad}"
    signs += [_door_sign(k, csbm, "kapi", f"{csbm.tam_ad} No: {k.adres.kapi_no}", reason)
              for k in found if k.adres.kapi_no]
    return signs


def signs_pdf(karar: AdlandirmaKarari, signs: list[levha.Levha]) -> bytes:
    title = (f"Levha üretim listesi — ad değişikliği, karar #{karar.pk}: {karar.eski_tam_ad} → {karar.yeni_tam_ad} "
             f"(yürürlük {karar.yururluk_tarihi:%d.%m.%Y})")
    return levha.production_pdf(signs, title=title, ilce_ad=karar.ilce.ad,
                                doc_title=f"Levha listesi, karar #{karar.pk}")


def _issued_since(card: AdresKarti | None, day: dt.date) -> bool:
    return card is not None and timezone.localtime(card.duzenlenme).date() >= day


@transaction.atomic
def reissue_cards(karar: AdlandirmaKarari, *, user: User) -> list[AdresKarti]:
    """A card with the new name for every unit that held one with the old name, each with its accrual
    (no tariff: nothing is issued). Units already given a new card since the rename keep it."""
    csbm = renamed_street(karar)
    result = []
    units = (BagimsizBolum.objects.filter(adres__csbm=csbm, kartlar__isnull=False).distinct()
             .select_related("adres__csbm__ilce__il", "adres__mahalle", "adres__yapi__mahalle")
             .prefetch_related("kartlar").order_by("adres_id", "ic_kapi_no", "id"))
    for bb in units:
        card = _latest_card(bb)
        if _issued_since(card, karar.yururluk_tarihi) and card.adres_metni == cards.address_text(bb.adres, bb):
            result.append(card)
        elif card.adres_metni != cards.address_text(bb.adres, bb):
            result.append(cards.issue(bb, user=user))
    return result


def bundle(karar: AdlandirmaKarari, *, user: User, verify_url: Callable[[AdresKarti], str]) -> bytes:
    """One ZIP: the sign list (CSV and PDF) and the new cards (one PDF each)."""
    signs = sign_list(karar)
    new_cards = reissue_cards(karar, user=user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("levha.csv", levha.as_csv(signs))
        z.writestr("levha.pdf", signs_pdf(karar, signs))
        for card in new_cards:
            z.writestr(f"kartlar/{cards.display_code(card.kod)}.pdf", cards.card_pdf(card, verify_url(card)))
    return out.getvalue()
