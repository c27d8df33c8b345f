"""manage.py import_imagery FILE.tif --slug SLUG --title TITLE --attribution TEXT [...]:
a GeoTIFF becomes a Cloud-Optimized GeoTIFF under MEDIA_ROOT/imagery and an Imagery record."""

from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Polygon
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiles.imagery_store import import_imagery


class Command(BaseCommand):
    help = gettext_lazy("Bir GeoTIFF'i Bulut Uyumlu GeoTIFF'e (COG) çevirip görüntü katmanı olarak kaydeder.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("Kaynak GeoTIFF"))
        parser.add_argument("--slug", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--attribution", default="", help=gettext_lazy("Kaynak gösterimi (zorunlu telif ifadesi)"))
        parser.add_argument("--licence", default="")
        parser.add_argument("--abstract", default="")
        parser.add_argument("--acquired", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--mode", choices=["rgb", "ramp", "grey"],
                            help=gettext_lazy("Gösterim (varsayılan: tahmin)"))
        parser.add_argument("--bands", help=gettext_lazy("Bantlar, ör. 1,2,3 ya da 1"))
        parser.add_argument("--range", dest="value_range", help=gettext_lazy("Değer aralığı, ör. 0,1 ya da -1,1"))
        parser.add_argument("--ramp", choices=["ndvi", "grey"])
        parser.add_argument("--private", action="store_true", help=gettext_lazy("Herkese açık yayımlama"))

    def handle(self, *args: Any, **o: Any) -> None:
        source = Path(o["file"])
        if not source.is_file():
            raise CommandError(_("Dosya bulunamadı: {path}").format(path=source))
        overrides: dict[str, Any] = {}
        try:
            if o["mode"]:
                overrides["mode"] = o["mode"]
            if o["bands"]:
                bands = [int(b) for b in o["bands"].split(",")]
                overrides.update({"bands": bands, "band": bands[0]})
            if o["value_range"]:
                lo, hi = (float(v) for v in o["value_range"].split(","))
                overrides["range"] = [lo, hi]
        except ValueError as e:
            raise CommandError(_("Geçersiz değer: {err}").format(err=e)) from e
        if o["ramp"]:
            overrides["ramp"] = o["ramp"]
        record = import_imagery(source, slug=o["slug"], title=o["title"], attribution=o["attribution"],
                                licence=o["licence"], abstract=o["abstract"], acquired=o["acquired"],
                                rendering=overrides, published=not o["private"])
        b: Polygon = record.bounds
        self.stdout.write(self.style.SUCCESS(
            _("{slug}: {w}×{h} piksel, {n} bant, {mode} gösterim, kapsam {bbox}; karolar "
              "/tiles/imagery/{slug}/{{z}}/{{x}}/{{y}}.png").format(
                slug=record.slug, w=record.width, h=record.height, n=record.band_count,
                mode=record.rendering.get("mode"), bbox=", ".join(f"{v:.4f}" for v in b.extent))))
