"""manage.py build_demo [--replace] [--seed N]: the generated demo district, offline and repeatable."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from data.demo.office import furnish_office
from data.generator import BELEDIYE, ILCE, build_district
from data.install import install_district, summary
from data.layers import Provenance
from numarataj.models import Ilce


class Command(BaseCommand):
    help = gettext_lazy("Örnek ilçeyi (Yenikent/Ankara) üretir: mahalleler, CSBM, yapılar, adresler, yerler ve "
                        "akıllı kent varlıkları. Ağ ya da dosya gerekmez; aynı tohum aynı ilçeyi verir.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--replace", action="store_true",
                            help=gettext_lazy("Önceki demo/içe aktarılmış adres kaydını önce sil (tek işlemde)."))
        parser.add_argument("--seed", type=int, default=1, help=gettext_lazy("Rastgele tohum (varsayılan 1)."))

    def handle(self, *args: Any, replace: bool, seed: int, **options: Any) -> None:
        started = time.monotonic()
        district = build_district(seed)
        prov = Provenance(
            belediye=BELEDIYE, licence="CC0 1.0 (üretilmiş örnek veri)", updated_at=timezone.now(),
            lineage=_("Kent build_demo komutuyla tohum {seed} kullanılarak üretilmiş kurgusal örnek ilçe "
                      "({ilce}/Ankara). Gerçek bir yeri göstermez.").format(seed=seed, ilce=ILCE))
        counts = install_district(district, prov, replace=replace, label="build_demo")
        office = furnish_office(Ilce.objects.get(ad=ILCE))
        self.stdout.write(self.style.SUCCESS(f"{ILCE}/Ankara: " + summary(counts, time.monotonic() - started)))
        self.stdout.write(_("Numarataj: {tarife} tarife, {karar} adlandırma kararı, {plan} açık plan, {talep} tespit "
                            "talebi, {kart} adres kartı").format(
            tarife=office.tarife, karar=sum(office.karar.values()), plan=office.plan, talep=office.talep,
            kart=office.kart))
