"""Inner doors (bağımsız bölüm): their numbers.

Numbering (rule 8 of the engine), floors counted as 0 = ground, -1 = first basement, 1 = first
floor above ground; within a floor, units in the order they were registered:
- ordinary buildings: one counter from 1, starting at the lowest basement and going up; the ground
  floor's units are set apart with a "Z" prefix and their own counter (Z1, Z2, ...). So a building
  with two basement flats, two shops on the ground floor and two flats a floor has
  1, 2 | Z1, Z2 | 3, 4 | 5, 6 — every label unique and readable from the door.
- large buildings (PADDED_FROM_FLOORS = 10 or more floors above ground) use floor-padded labels,
  which tell the floor at a glance: floor (2 digits) + unit (2 digits), "0301" = 3rd floor unit 1;
  ground "Z01"; basements "B101" (first basement, unit 01), "B201".

Address code: the 10-digit code is the national register's (UAVT, assigned by NVİ), never made up
here. A unit created in Kent has none and is shown as awaiting registration
(`numarataj.models.adres.TESCIL_BEKLIYOR`) until the code is entered or imported."""

from collections import defaultdict

from django.db import transaction

from geo.models import Change
from geo.services import history
from numarataj.models import Adres, BagimsizBolum

from .register import Recorder, require_register_editor

PADDED_FROM_FLOORS = 10


def inner_door_labels(units_per_floor: dict[int, int], floors_above: int) -> dict[int, list[str]]:
    """Floor -> the labels of its units, in order (see the module docstring)."""
    padded = floors_above >= PADDED_FROM_FLOORS
    labels: dict[int, list[str]] = {}
    n = 0
    for kat in sorted(units_per_floor):
        k = units_per_floor[kat]
        if kat == 0:
            labels[0] = [f"Z{i:02d}" if padded else f"Z{i}" for i in range(1, k + 1)]
        elif padded:
            labels[kat] = [f"B{-kat}{i:02d}" if kat < 0 else f"{kat:02d}{i:02d}" for i in range(1, k + 1)]
        else:
            labels[kat] = [str(n + i) for i in range(1, k + 1)]
            n += k
    return labels


def _floors_above(adres: Adres, floors: list[int]) -> int:
    return adres.yapi.kat_ust if adres.yapi_id else max([0, *floors])


@transaction.atomic
def create_units(adres: Adres, units_per_floor: dict[int, int], *, user, kullanim: str = "konut",
                 check_rights: bool = True) -> list[BagimsizBolum]:
    """Register a door's new units (a count per floor), numbered together with the units it
    already has (a new basement unit shifts the numbers above it); each write recorded. They
    carry no address code until UAVT's is entered: awaiting registration."""
    if check_rights:
        require_register_editor(user)
    new = [BagimsizBolum(adres=adres, kat=kat, kullanim=kullanim, adres_kodu=None)
           for kat, k in sorted(units_per_floor.items()) for _ in range(max(k, 0))]
    _number(adres, new, user=user)
    return new


@transaction.atomic
def renumber_units(adres: Adres, *, user, check_rights: bool = True) -> list[Change]:
    """Give the door's units their numbers by the rule; only changed ones are written."""
    if check_rights:
        require_register_editor(user)
    return _number(adres, [], user=user)


def _number(adres: Adres, new: list[BagimsizBolum], *, user) -> list[Change]:
    existing = list(BagimsizBolum.objects.select_for_update().filter(adres=adres).order_by("kat", "pk"))
    by_floor: dict[int, list[BagimsizBolum]] = defaultdict(list)
    for u in existing + new:  # new units after the existing ones of their floor
        by_floor[u.kat].append(u)
    labels = inner_door_labels({k: len(v) for k, v in by_floor.items()}, _floors_above(adres, list(by_floor)))
    recorder = Recorder(user, "iç kapı numarası")
    for kat, floor_units in by_floor.items():
        for unit, label in zip(floor_units, labels[kat], strict=True):
            if unit.pk is None or unit.ic_kapi_no != label:
                before = history.snapshot(unit) if unit.pk is not None else None
                unit.ic_kapi_no = label
                recorder.write(unit, before)
    return recorder.changes
