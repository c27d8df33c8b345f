"""Putting a generated or imported district into the database: one transaction, optional replace,
core layers and the asset kinds' layers registered, a progress bar on the terminal."""

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from smartcity.layers import ensure_asset_layers

from .layers import Provenance, ensure_core_layers
from .register import District, register_is_empty, total_rows, wipe_register, write_district


def install_district(district: District, prov: Provenance, *, replace: bool, label: str) -> dict[str, int]:
    """Write the district atomically; refuses to mix with an existing register unless replacing."""
    with transaction.atomic():
        if replace:
            wipe_register()
        elif not register_is_empty():
            raise CommandError(_("Adres kaydı boş değil; var olan içeriği silip yeniden kurmak için --replace verin."))
        ensure_core_layers(prov)
        ensure_asset_layers(prov)
        with tqdm(total=total_rows(district), desc=label, unit=" satır", disable=None, leave=False) as bar:
            return write_district(district, bar.update)


def summary(counts: dict[str, int], seconds: float) -> str:
    """One line for the terminal: what was written and how long it took."""
    return _("{mahalle} mahalle, {csbm} CSBM, {yapi} yapı, {adres} adres, {bagimsiz_bolum} bağımsız bölüm, "
             "{feature} yer, {asset} akıllı kent varlığı ({seconds:.1f} sn)").format(seconds=seconds, **counts)
