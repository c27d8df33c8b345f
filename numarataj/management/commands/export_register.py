"""manage.py export_register OUT [--format gpkg|shp|csv] [--profile NAME|FILE.yaml] [--crs EPSG]
[--ilce ID] [--since DATE|last]: the register, or its changes, as layered files with a manifest."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.errors import KentError
from numarataj.models import Ilce
from numarataj.register_io import profiles
from numarataj.register_io.export import FORMATS, export_register


class Command(BaseCommand):
    help = ("Adres kaydını (ya da bir tarihten beri değişenleri) katmanlı dosyalara aktarır. "
            "(Export the register, or its changes, as layered files.)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out")
        parser.add_argument("--format", default="gpkg", choices=sorted(FORMATS))
        parser.add_argument("--profile", help="Profil adı ya da YAML dosyası (yoksa MAKS adları). "
                                              "(Profile; MAKS-style names if omitted.)")
        parser.add_argument("--crs", help="Ör. EPSG:5255 (varsayılan yerel TUREF/TM). (Target CRS.)")
        parser.add_argument("--ilce", type=int, help="Yalnızca bu ilçe. (Only this ilçe.)")
        parser.add_argument("--since", help="Bu tarihten beri değişenler, ya da 'last': son aktarımdan beri. "
                                            "(Changes since a date, or since the last export.)")

    def handle(self, *args: Any, **options: Any) -> None:
        ilce = None
        if options["ilce"] is not None:
            ilce = Ilce.objects.filter(pk=options["ilce"]).first()
            if ilce is None:
                raise CommandError(f"İlçe yok: {options['ilce']} (no such ilçe)")
        try:
            profile = profiles.load(options["profile"]) if options["profile"] else None
            result = export_register(options["out"], fmt=options["format"], profile=profile, srid=options["crs"],
                                     ilce=ilce, since=options["since"])
        except KentError as e:
            raise CommandError(e.message) from None
        self.stdout.write(str(result.path))
        self.stdout.write(json.dumps(result.manifest, ensure_ascii=False, indent=1, default=str))
