"""`manage.py export_layer --layer SLUG --format gpkg --crs EPSG:5254 -o OUT`: write a layer to a file.

Run by an operator on the server: every layer may be exported (no rights check)."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.errors import KentError
from geo.models import Layer
from geo.services.exporter import FORMATS, export_layer


class Command(BaseCommand):
    help = "Bir katmanı dosyaya aktarır. (Export a layer to a file.)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--layer", required=True, help="katmanın kısa adı (layer slug)")
        parser.add_argument("--format", required=True, choices=list(FORMATS), help="dosya biçimi (file format)")
        parser.add_argument("--crs", default="EPSG:4326", help="koordinat sistemi, ör. EPSG:5254 (target CRS)")
        parser.add_argument("-o", "--output", required=True, help="çıktı dosyası (output file)")

    def handle(self, *args, **opts) -> None:
        layer = Layer.objects.filter(slug=opts["layer"]).first()
        if layer is None:
            raise CommandError(f"Katman bulunamadı: {opts['layer']}. (No such layer.)")
        try:
            produced = export_layer(layer, opts["format"], opts["crs"], user=None)
        except KentError as e:
            raise CommandError(e.message) from e
        out = Path(opts["output"])
        try:
            shutil.move(produced, out)
        finally:
            shutil.rmtree(produced.parent, ignore_errors=True)
        self.stdout.write(self.style.SUCCESS(f"{layer.slug} -> {out} ({opts['format']}, {opts['crs']})"))
