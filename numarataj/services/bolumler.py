"""A door's bağımsız bölümler (flats, shops) as one list the officer edits: rows kept, changed,
added and removed in one save, each write recorded in geo's history. Units given without an inner
door number are numbered by the rule (ic_kapi.py) together with the door's other units."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from geo.errors import Conflict, InvalidInput
from geo.services import history
from geo.services.schema import compiled, refusal
from numarataj.models import Adres, BagimsizBolum

from . import ic_kapi
from .register import Recorder, require_register_editor

UNIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["bolumler"],
    "properties": {"bolumler": {"type": "array", "maxItems": 2000, "items": {
        "type": "object", "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "ic_kapi_no": {"type": "string", "maxLength": 10},
            "kat": {"type": "integer", "minimum": -20, "maximum": 200},
            "kullanim": {"type": "string", "maxLength": 20},
            "adres_kodu": {"type": "string", "pattern": "^[0-9]{10}$"},
        }}}},
}
COLUMNS = ("ic_kapi_no", "kat", "kullanim", "adres_kodu")


def unit_dict(unit: BagimsizBolum) -> dict[str, Any]:
    label = _("İç kapı %(no)s · kat %(kat)s · %(kullanim)s · %(tescil)s") % {
        "no": unit.ic_kapi_no or "?", "kat": unit.kat, "kullanim": unit.kullanim, "tescil": unit.tescil}
    return {"id": unit.pk, "ic_kapi_no": unit.ic_kapi_no, "kat": unit.kat, "kullanim": unit.kullanim,
            "adres_kodu": unit.adres_kodu, "tescil": unit.tescil, "label": label}


def units_of(adres: Adres) -> list[BagimsizBolum]:
    return list(adres.bagimsiz_bolumler.order_by("kat", "ic_kapi_no", "pk"))


def _check(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        raise InvalidInput(_("Gövde {\"bolumler\": [...]} biçiminde olmalı. (The body is {\"bolumler\": [...]}.)"))
    problems = compiled(UNIT_SCHEMA).problems(body)
    if problems:
        raise refusal(problems)
    items = body["bolumler"]
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        no = (item.get("ic_kapi_no") or "").strip().upper()
        if no and no in seen:
            field = f"bolumler[{i}].ic_kapi_no"
            raise InvalidInput(_("'%(no)s' iç kapı numarası bu kapıda iki kez geçiyor. "
                                 "(An inner door number appears twice.)") % {"no": no},
                               invalid=[field], problems=[f"{field}: tekrar (repeated)"])
        seen[no] = i
    return items


@transaction.atomic
def replace_units(adres: Adres, body: Any, *, user, version: int | None = None) -> list[BagimsizBolum]:
    """Make the door's units exactly the listed ones (by id; new ones without an id). `version`,
    the door's version the list was read with, refuses a list edited on a door changed since."""
    require_register_editor(user)
    adres = Adres.objects.select_for_update().get(pk=adres.pk)
    if version is not None and adres.version != version:
        raise Conflict(_("Kapı siz düzenlerken değiştirildi. (The door changed while you were editing.)"),
                       current_version=adres.version, your_version=version)
    items = _check(body)
    existing = {u.pk: u for u in BagimsizBolum.objects.select_for_update().filter(adres=adres)}
    for i, item in enumerate(items):
        if "id" in item and item["id"] not in existing:
            field = f"bolumler[{i}].id"
            raise InvalidInput(_("%(id)s numaralı bölüm bu kapının değil. (No such unit on this door.)")
                               % {"id": item["id"]}, invalid=[field], problems=[f"{field}: yok (no such unit)"])
    recorder = Recorder(user, _("bağımsız bölümler"))
    kept = {item["id"] for item in items if "id" in item}
    for pk in sorted(existing.keys() - kept):
        recorder.delete(existing[pk])
    unnumbered = False
    try:
        with transaction.atomic():
            for item in items:
                unit = existing.get(item.get("id")) or BagimsizBolum(adres=adres, ic_kapi_no="")
                before = history.snapshot(unit) if unit.pk else None
                for name in COLUMNS:
                    if name in item:
                        value = item[name]
                        setattr(unit, name, value.strip().upper() if name == "ic_kapi_no" else value)
                unit.adres_kodu = unit.adres_kodu or None
                unnumbered |= not unit.ic_kapi_no
                if before is None or history.snapshot(unit) != before:
                    recorder.write(unit, before)
    except IntegrityError:
        raise InvalidInput(_("Bu adres kodu başka bir bağımsız bölümde kayıtlı. (The address code is taken.)"),
                           invalid=["adres_kodu"], problems=[_("adres_kodu: kullanılıyor (taken)")]) from None
    if unnumbered:
        ic_kapi.renumber_units(adres, user=user, check_rights=False)
    return units_of(adres)
