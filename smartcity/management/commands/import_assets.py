"""`manage.py import_assets <file> --kind TrafficSignal`: assets from GeoPackage/GeoJSON/CSV."""

from django.core.management.base import BaseCommand, CommandError

from smartcity.importer import import_assets
from smartcity.models import AssetKind


class Command(BaseCommand):
    help = "Dosyadan varlık aktarır. (Import assets from a GIS file.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--kind", required=True, help="asset kind, e.g. TrafficSignal")
        parser.add_argument("--id-field", default=None, help="column holding the asset id")

    def handle(self, *args, **opts) -> None:
        kind = AssetKind.objects.filter(type=opts["kind"]).first()
        if kind is None:
            raise CommandError(f"unknown kind {opts['kind']}; known: "
                               + ", ".join(AssetKind.objects.values_list("type", flat=True)))
        report = import_assets(opts["path"], kind, user=None, id_field=opts["id_field"])
        self.stdout.write(f"{report.created} created, {report.updated} updated, {len(report.skipped)} skipped")
        for note in report.skipped[:20]:
            self.stdout.write(f"  {note}")
