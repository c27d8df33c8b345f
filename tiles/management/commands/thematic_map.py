"""manage.py thematic_map --metric yapi_count --by mahalle --title ... --png out.png --pdf out.pdf"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.errors import KentError
from tiles.thematic import METHODS, RAMPS, make_thematic
from tiles.thematic_print import export


class Command(BaseCommand):
    help = gettext_lazy("Mahalle ya da ızgara başına bir ölçüyü sınıflı tematik harita yapar: katman olarak kaydeder, "
                        "PNG/PDF çıktısını yazar.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--metric", required=True, help=gettext_lazy(
            "yapi_count, kat_toplam, kat_ortalama, bagimsiz_bolum, adres_count ya da layer:<katman>[:<öznitelik>]"))
        parser.add_argument("--by", choices=["mahalle", "grid"], default="mahalle")
        parser.add_argument("--cell", type=float, default=250.0, help=gettext_lazy("Izgara hücre boyu, metre"))
        parser.add_argument("--method", choices=METHODS, default="quantile")
        parser.add_argument("--ramp", choices=sorted(RAMPS), default="kirmizi")
        parser.add_argument("--title", default="")
        parser.add_argument("--slug", default="")
        parser.add_argument("--public", action="store_true", help=gettext_lazy("Katmanı herkese açık yayımla"))
        parser.add_argument("--png")
        parser.add_argument("--pdf")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            tm = make_thematic(o["metric"], by=o["by"], method=o["method"], title=o["title"], ramp=o["ramp"],
                               cell_m=o["cell"], slug=o["slug"], public=o["public"])
        except KentError as e:
            raise CommandError(e.message) from e
        written = export(tm, o["png"], o["pdf"])
        self.stdout.write(self.style.SUCCESS(_("'{slug}' katmanı: {n} birim, {k} sınıf.").format(
            slug=tm.layer.slug, n=len(tm.units), k=len(tm.classes))))
        for c in tm.classes:
            self.stdout.write(f"  {c['klass']}: {c['label']}")
        for fmt in written:
            self.stdout.write(f"  {fmt.upper()}: {o[fmt]}")
