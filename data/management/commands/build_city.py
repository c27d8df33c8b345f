"""manage.py build_city --buildings N [--seed S] [--osm FILE] [--replace]: a synthetic city-scale
register, copies of a real district, for measuring Kent (bench/scale.py)."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from data.city import plan_city
from data.city_template import load_template
from data.city_writer import write_city
from data.layers import Provenance, ensure_core_layers
from data.register import register_is_empty, wipe_register

DEFAULT_OSM = Path(settings.BASE_DIR).parent / "shared" / "data" / "ankara-bahcelievler.osm"


class Command(BaseCommand):
    help = gettext_lazy("Gerçek bir ilçenin kopyalarından büyükşehir ölçeğinde kurgusal bir adres kaydı kurar "
                        "(ölçüm için). Aynı tohum aynı kaydı verir; resmî kodlar boş kalır.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--buildings", type=int, required=True, help=gettext_lazy("Yapı sayısı."))
        parser.add_argument("--seed", type=int, default=1, help=gettext_lazy("Rastgele tohum (varsayılan 1)."))
        parser.add_argument("--osm", type=Path, default=DEFAULT_OSM,
                            help=gettext_lazy("Kopyalanacak ilçenin OSM XML dosyası (../shared/data)."))
        parser.add_argument("--replace", action="store_true",
                            help=gettext_lazy("Önceki adres kaydını önce sil (tek işlemde)."))

    def handle(self, *args: Any, buildings: int, seed: int, osm: Path, replace: bool, **options: Any) -> None:
        if buildings < 1:
            raise CommandError(_("--buildings en az 1 olmalı. (--buildings must be at least 1.)"))
        if not osm.is_file():
            raise CommandError(_("Dosya bulunamadı: {path}. (File not found.)").format(path=osm))
        started = time.monotonic()
        template = load_template(osm, seed)
        plan = plan_city(template, buildings, seed)

        def step(what: str) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {time.monotonic() - started:7.1f} s  {what}")

        step(_("şablon: {n} yapı, {m} kopya (template: buildings, copies)").format(
            n=len(template.buildings), m=len(plan.tiles)))
        with transaction.atomic():
            if replace:
                wipe_register()
            elif not register_is_empty():
                raise CommandError(_("Adres kaydı boş değil; var olan içeriği silip yeniden kurmak için --replace "
                                     "verin. (The register is not empty; pass --replace.)"))
            ensure_core_layers(Provenance(
                belediye=f"{plan.il_ad} Büyükşehir Belediyesi", licence="ODbL 1.0 (OpenStreetMap'ten türetilmiş)",
                updated_at=timezone.now(),
                lineage=_("Kent build_city komutuyla '{name}' ilçesinin {n} kopyasından (tohum {seed}) kurulmuş "
                          "kurgusal kayıt; gerçek bir yeri göstermez.").format(
                    name=osm.name, n=len(plan.tiles), seed=seed)))
            counts = write_city(template, plan, step)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(_(
            "{ilce} ilçe, {mahalle} mahalle, {csbm} CSBM, {yapi} yapı, {adres} adres, {bagimsiz_bolum} bağımsız "
            "bölüm ({seconds:.1f} sn, {rate:,.0f} yapı/sn)").format(
                seconds=seconds, rate=counts["yapi"] / seconds, **counts)))
