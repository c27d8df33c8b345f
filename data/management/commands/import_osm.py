"""manage.py import_osm FILE.osm [--replace]: the register, places and assets from an OSM export."""

import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm
from tqdm.utils import CallbackIOWrapper

from data.install import install_district, summary
from data.layers import Provenance
from data.osm import OsmData, OsmError, parse_osm
from data.osm_district import district_from_osm
from data.register import District

OSM_LICENCE = "ODbL 1.0, © OpenStreetMap katkıcıları (© OpenStreetMap contributors)"


def _provenance(path: Path, data: OsmData, district: District) -> Provenance:
    main = Counter(m.ilce for m in district.mahalleler).most_common(1)[0][0]
    ilce = next(i.ad for i in district.ilceler if i.key == main)
    x0, y0, x1, y1 = data.extent().bounds
    approx = [m.ad for m in district.mahalleler if m.yaklasik]
    lineage = _("OpenStreetMap XML dışa aktarımı '{name}' (sınırlar {y0:.4f}–{y1:.4f} K, {x0:.4f}–{x1:.4f} D; "
                "en yeni nesne {newest}), Kent import_osm komutuyla içe aktarıldı.").format(
        name=path.name, x0=x0, y0=y0, x1=x1, y1=y1, newest=f"{data.newest:%Y-%m-%d}" if data.newest else "?")
    if approx:
        lineage += " " + _("Sınırı dışa aktarımda eksik olan mahalleler yaklaşıktır: {names}.").format(
            names=", ".join(approx))
    return Provenance(belediye=f"{ilce} Belediyesi", licence=OSM_LICENCE, lineage=lineage,
                      updated_at=data.newest or timezone.now())


class Command(BaseCommand):
    help = gettext_lazy("Bir OpenStreetMap XML dışa aktarımından (.osm) mahalleleri, CSBM'leri, yapıları, "
                        "adresleri, yerleri ve akıllı kent varlıklarını içe aktarır.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=gettext_lazy("OSM XML dosyası"))
        parser.add_argument("--replace", action="store_true",
                            help=gettext_lazy("Önceki demo/içe aktarılmış adres kaydını önce sil (tek işlemde)."))

    def handle(self, *args: Any, file: Path, replace: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(_("Dosya bulunamadı: {path}").format(path=file))
        started = time.monotonic()
        with tqdm(total=file.stat().st_size, unit="B", unit_scale=True, desc=_("OSM okunuyor"),
                  disable=None, leave=False) as bar:
            try:
                data = parse_osm(file, lambda raw: CallbackIOWrapper(bar.update, raw, "read"))
            except OsmError as exc:
                raise CommandError(_("{path} OSM XML olarak okunamadı, hiçbir şey değiştirilmedi: {error}").format(
                    path=file, error=exc)) from exc
        district = district_from_osm(data)
        counts = install_district(district, _provenance(file, data, district), replace=replace, label="import_osm")
        where = f"{', '.join(i.ad for i in district.ilceler)}/{district.il_ad}"
        self.stdout.write(self.style.SUCCESS(f"{where}: " + summary(counts, time.monotonic() - started)))
        self.stdout.write(_("Veri: {licence}").format(licence=OSM_LICENCE))
