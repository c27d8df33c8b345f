"""The numarataj office's own records in the demo, made through the domain services so they are
what the real flows would leave behind: a council-approved tariff for every chargeable item,
street-naming decisions waiting at each step, an open numbering plan, an answered and an open
address-determination request, and a few issued address cards.

The tariffs and their prices are DEMO values (decision number "DEMO-…"): Kent ships no prices of
its own, a real office enters its council's tariff. Dates are counted back from today so every
step is dated in the past, in order, as the naming rules require; one approved name takes effect
next month, so the decision waiting for its effective date stays waiting.

Called after the district is written; a rebuild (--replace) first removes what the previous demo
left outside the register (the open request, the accruals at the demo tariffs)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from geo.errors import Conflict
from numarataj.models import Adres, BagimsizBolum, Csbm, Ilce, NumberingPlan
from numarataj.models.documents import AdresTespitTalebi, Tahakkuk, Tarife, TarifeKalemi
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import cards, naming, numbering, requests
from numarataj.services.cards import address_text

DEMO_DECISION = "DEMO-2025/14"  # the council decision the demo tariffs cite
TARIFF_START = dt.date(2025, 1, 1)
PRICES = {  # TL per unit: demo values, see the module docstring
    TarifeKalemi.ADRES_KARTI: Decimal("150.00"),
    TarifeKalemi.KAPI_LEVHASI: Decimal("450.00"),
    TarifeKalemi.IC_KAPI_LEVHASI: Decimal("120.00"),
    TarifeKalemi.CSBM_LEVHASI: Decimal("2400.00"),
    TarifeKalemi.VERI_SATISI: Decimal("2.50"),
}
DEMO_REQUESTS = ("DEMO-2025-0117", "DEMO-2025-0142")  # the institutions' document numbers
NEW_NAMES = ("Lale", "Menekşe", "Papatya", "Nergis", "Sümbül", "Karanfil", "Zambak", "Yasemin", "Manolya",
             "Begonya", "Orkide", "Kamelya")
COUNCIL = {"tamsayi": 31, "kabul": 24, "ret": 5, "cekimser": 2}  # two thirds of 31 is 21: a rename carries
CARDS = 3


@dataclass
class OfficeCounts:
    tarife: int
    karar: dict[str, int]
    plan: int
    talep: int
    kart: int


def _days(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def ensure_tariffs() -> int:
    """One open-ended demo tariff per item; a rebuild keeps (and re-prices) the same rows."""
    for kalem in TarifeKalemi.values:
        Tarife.objects.update_or_create(kalem=kalem, meclis_karar_no=DEMO_DECISION, defaults={
            "birim_fiyat": PRICES[kalem], "gecerlilik_baslangic": TARIFF_START, "gecerlilik_bitis": None,
            "meclis_karar_tarihi": TARIFF_START - dt.timedelta(days=20)})
    return len(TarifeKalemi.values)


def _forget_previous_demo() -> None:
    """What a previous demo left outside the register (cards, plans and decisions went with it)."""
    AdresTespitTalebi.objects.filter(kurum_belge_no__in=DEMO_REQUESTS).delete()
    Tahakkuk.objects.filter(tarife__meclis_karar_no=DEMO_DECISION, adres_karti__isnull=True).delete()


def _renamable(ilce: Ilce) -> list[Csbm]:
    """Numbered sokaks (the ones a council names first), in a stable order."""
    return list(Csbm.objects.filter(ilce=ilce, tur="sokak", numara__isnull=False).order_by("numara", "uavt_kodu"))


def _propose(csbm: Csbm, names: list[str], days_ago: int) -> AdlandirmaKarari | None:
    """A renaming proposal for `csbm` with the first free name (a name already used is skipped)."""
    while names:
        ad = names.pop(0)
        try:
            return naming.propose(user=None, tur=AdlandirmaKarari.Tur.AD_DEGISIKLIGI, csbm=csbm, yeni_tur="sokak",
                                  yeni_ad=ad, oneren="Mahalle muhtarlığı",
                                  gerekce=f"Sokağa bölgenin çiçek adlarından '{ad}' adının verilmesi "
                                          f"(örnek veri).", oneri_tarihi=_days(days_ago))
        except Conflict:
            continue
    return None


def naming_decisions(ilce: Ilce) -> dict[str, int]:
    """Five renamings, each stopped at a different step: öneri, komisyon, meclis, onaylandı
    (effective next month) and yürürlükte."""
    names, streets = list(NEW_NAMES), _renamable(ilce)
    D = AdlandirmaKarari.Durum
    targets = [D.ONERI, D.KOMISYON, D.MECLIS, D.ONAYLANDI, D.YURURLUKTE]
    for n, (target, csbm) in enumerate(zip(targets, streets, strict=False)):
        start = 120 - 20 * n  # older decisions have gone further
        karar = _propose(csbm, names, start)
        if karar is None:
            break
        if target == D.ONERI:
            continue
        karar = naming.commission_report(karar, tarih=_days(start - 5), rapor_no=f"DEMO-KR-{n + 1}",
                                         gorus=AdlandirmaKarari.Gorus.OLUMLU, user=None)
        if target == D.KOMISYON:
            continue
        karar = naming.council_decision(karar, tarih=_days(start - 10), karar_no=f"DEMO-MK-{n + 1}", user=None,
                                        **COUNCIL)
        if target == D.MECLIS:
            continue
        effective = timezone.localdate() + dt.timedelta(days=30) if target == D.ONAYLANDI else _days(start - 15)
        naming.approve(karar, makam=AdlandirmaKarari.Makam.VALILIK, tarih=_days(start - 15),
                       belge_no=f"DEMO-VL-{n + 1}", yururluk_tarihi=effective, user=None)
    return dict(AdlandirmaKarari.objects.filter(ilce=ilce).values_list("durum").annotate(n=Count("id")))


def open_plan(ilce: Ilce) -> NumberingPlan | None:
    """A street plan proposed and not yet decided: the busiest street that is not a meydan."""
    street = (Csbm.objects.filter(ilce=ilce).exclude(tur="meydan").annotate(n=Count("adresler"))
              .filter(n__gte=4).order_by("-n", "uavt_kodu").first())
    return numbering.plan_street(street, check_rights=False) if street else None


def address_requests(ilce: Ilce) -> int:
    """One request answered with the door found, one waiting for the officer."""
    doors = Adres.objects.filter(csbm__ilce=ilce).select_related(
        "csbm__ilce__il", "mahalle__ilce__il", "yapi__mahalle").order_by("uavt_kodu")
    found, asked = doors.first(), doors[1:2].first()
    if found is None or asked is None:
        return 0
    answered = requests.register(user=None, kurum="Ankara 5. İcra Müdürlüğü", kurum_belge_no=DEMO_REQUESTS[0],
                                 kurum_belge_tarihi=_days(12), adres_metni=address_text(found),
                                 konu="Borçlu adresinin tespiti")
    requests.answer(answered, user=None, yanit_sayi="DEMO-NUM-2025-031", yanit_tarihi=_days(5), adres=found)
    requests.register(user=None, kurum="SGK Yenikent Sosyal Güvenlik Merkezi", kurum_belge_no=DEMO_REQUESTS[1],
                      kurum_belge_tarihi=_days(2), adres_metni=address_text(asked).replace(" No:", " no"),
                      konu="Sigortalı adresinin tespiti")
    return 2


def issue_cards(ilce: Ilce) -> int:
    """A few cards, each charged at the demo tariff as at the office counter."""
    units = BagimsizBolum.objects.filter(adres__csbm__ilce=ilce).order_by("adres_kodu")[:CARDS]
    return len([cards.issue(bb, user=None) for bb in units])


@transaction.atomic
def furnish_office(ilce: Ilce) -> OfficeCounts:
    """Everything above, in one transaction."""
    _forget_previous_demo()
    tariffs = ensure_tariffs()
    decisions = naming_decisions(ilce)
    plan = open_plan(ilce)
    talep = address_requests(ilce)
    issued = issue_cards(ilce)
    return OfficeCounts(tarife=tariffs, karar=decisions, plan=int(plan is not None), talep=talep,
                        kart=issued)
