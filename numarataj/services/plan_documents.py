"""What an approved numbering plan leaves for the office: the fee accruals of the plates the sign
list orders, and the address cards of every bağımsız bölüm behind a door the plan numbered anew.

Issued once and completed later: the plan's summary (`ozet["belgeler"]`) remembers the accruals
and cards made for it, so a second click charges nothing twice and only issues the cards of units
registered since (a new building's units are often entered after it got its number). Everything
of one click is written in one transaction: a missing tariff refuses the click as a whole, with
accruals.tariff_on's message, and nothing is charged."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from geo.errors import InvalidInput
from numarataj.models import Adres, BagimsizBolum, NumberingPlan
from numarataj.models.documents import AdresKarti, TarifeKalemi

from . import cards, ic_kapi, levha
from .accruals import accrue
from .register import require_register_editor

MAX_NEW_UNITS = 200  # units a door gets from the plan page at once: a tower's floors, not a typo's


def changed_doors(plan: NumberingPlan) -> list[Adres]:
    """The doors (addresses) the approved plan gave a new number, in the plan's order."""
    items = list(plan.kalemler.filter(degisiyor=True, arsa__isnull=True).exclude(onerilen_no="")
                 .order_by("csbm_id", "sira"))
    by_pk = Adres.objects.in_bulk([i.adres_id for i in items if i.adres_id])
    made = {(a.yapi_id, a.csbm_id): a for a in Adres.objects.filter(
        yapi_id__in=[i.yapi_id for i in items if not i.adres_id])}
    doors = [by_pk.get(i.adres_id) if i.adres_id else made.get((i.yapi_id, i.csbm_id)) for i in items]
    return [d for d in doors if d is not None]


def doors_without_units(plan: NumberingPlan) -> list[Adres]:
    """Changed doors no card can be issued for yet: they have no bağımsız bölüm."""
    doors = changed_doors(plan)
    with_units = set(BagimsizBolum.objects.filter(adres__in=doors).values_list("adres_id", flat=True))
    return [d for d in doors if d.pk not in with_units]


def record(plan: NumberingPlan) -> dict[str, Any]:
    return dict(plan.ozet.get("belgeler") or {})


def plan_cards(plan: NumberingPlan) -> list[AdresKarti]:
    ids = record(plan).get("kartlar", [])
    return list(AdresKarti.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def issue(plan: NumberingPlan, *, user, check_rights: bool = True) -> dict[str, Any]:
    """Accrue the plates of the sign list (once) and issue the missing cards of the changed doors."""
    if check_rights:
        require_register_editor(user)
    plan = NumberingPlan.objects.select_for_update().select_related("ilce").get(pk=plan.pk)
    signs = levha.sign_list(plan)  # refuses a plan that is not approved
    done = record(plan)
    if "tahakkuklar" not in done:
        charges = []
        for kalem, tur in ((TarifeKalemi.KAPI_LEVHASI, "kapi"), (TarifeKalemi.CSBM_LEVHASI, "sokak")):
            n = sum(1 for s in signs if s.tur == tur)
            if n:
                charges.append(accrue(kalem, n, user=user, aciklama=f"Numaralama planı #{plan.pk}: {n} levha"))
        done["tahakkuklar"] = [c.pk for c in charges]
    carded = set(AdresKarti.objects.filter(pk__in=done.get("kartlar", []))
                 .values_list("bagimsiz_bolum_id", flat=True))
    doors = changed_doors(plan)
    units = BagimsizBolum.objects.filter(adres__in=doors).exclude(pk__in=carded).order_by("adres_id", "kat", "pk")
    new_cards = [cards.issue(bb, user=user) for bb in units]
    done["kartlar"] = done.get("kartlar", []) + [c.pk for c in new_cards]
    done["tarih"] = timezone.now().isoformat(timespec="seconds")
    plan.ozet["belgeler"] = done
    plan.save(update_fields=["ozet"])
    missing = doors_without_units(plan)
    return {"plan": plan.pk, "levha": len(signs), "tahakkuk": len(done["tahakkuklar"]),
            "kart": len(done["kartlar"]), "yeni_kart": len(new_cards),
            "bolumsuz": [{"adres": a.pk, "kapi_no": a.kapi_no} for a in missing]}


def add_units(plan: NumberingPlan, adres: Adres, count: int, *, user, check_rights: bool = True
              ) -> list[BagimsizBolum]:
    """Register `count` ground-floor units on a door the plan numbered, so its cards can be issued."""
    if check_rights:
        require_register_editor(user)
    if adres.pk not in {d.pk for d in changed_doors(plan)}:
        raise InvalidInput("Bu kapı planın numaraladığı kapılardan değil. (The door is not one the plan numbered.)",
                           adres=adres.pk)
    if not 1 <= count <= MAX_NEW_UNITS:
        raise InvalidInput(f"Bölüm sayısı 1 ile {MAX_NEW_UNITS} arasında olmalı. "
                           f"(The number of units must be between 1 and {MAX_NEW_UNITS}.)", field="adet")
    return ic_kapi.create_units(adres, {0: count}, user=user, check_rights=False)
