"""`manage.py import_layer FILE --layer SLUG`: load a GIS file into a feature-store layer.

Run by an operator on the server, so no rights are checked unless `--user` names whose import it
is (then that user's edit_data right is required and the history shows them)."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from geo.errors import KentError
from geo.models import Layer
from geo.services.importer import ImportRefused, ImportReport, import_file


class Command(BaseCommand):
    help = "Bir GIS dosyasını katmana aktarır. (Import a GIS file into a layer.)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="GeoPackage, Shapefile (.shp/.zip), GeoJSON, KML, DXF ya da CSV")
        parser.add_argument("--layer", required=True, help="hedef katmanın kısa adı (target layer slug)")
        parser.add_argument("--crs", help="dosyanın koordinat sistemi, ör. EPSG:5254 (the file's CRS)")
        parser.add_argument("--source-layer", help="çok katmanlı dosyada aktarılacak katman (layer in the file)")
        parser.add_argument("--user", help="içe aktarmayı yapan kullanıcı adı (who imports)")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="geçersiz satırları atlayıp kalanları aktar (import the valid rows)")

    def handle(self, *args, **opts) -> None:
        layer = Layer.objects.filter(slug=opts["layer"]).first()
        if layer is None:
            raise CommandError(f"Katman bulunamadı: {opts['layer']}. (No such layer.)")
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"Kullanıcı bulunamadı: {opts['user']}. (No such user.)")
        bar = tqdm(desc="doğrulama (validating)", unit="satır", disable=opts["verbosity"] == 0,
                   file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            report = import_file(opts["file"], layer, user=user, crs=opts["crs"],
                                 source_layer=opts["source_layer"], skip_invalid=opts["skip_invalid"],
                                 progress=progress)
        except ImportRefused as e:
            bar.close()
            self._print(e.report)
            raise CommandError(e.message) from e
        except KentError as e:
            bar.close()
            raise CommandError(f"{e.message} {e.detail.get('reason', '')}".strip()) from e
        bar.close()
        self._print(report)

    def _print(self, r: ImportReport) -> None:
        out = self.stdout
        out.write(f"Dosya (file): {r.source}  katman (layer): {r.source_layer}  CRS: {r.crs} ({r.crs_origin})")
        out.write(f"Okunan satır (rows read): {r.rows_read}")
        out.write(self.style.SUCCESS(f"Aktarılan (imported): {r.imported}"))
        out.write(f"Onarılan (repaired): {len(r.repaired)}")
        for note in r.repaired:
            out.write(f"  satır (row) {note.row}, fid {note.fid}: {note.reason}")
        refused = f"Reddedilen (refused): {len(r.refused)}" + (" — atlandı (skipped)" if r.skip_invalid else "")
        out.write(self.style.ERROR(refused) if r.refused else refused)
        for note in r.refused:
            out.write(f"  satır (row) {note.row}, fid {note.fid}: {note.reason}")
        for warning in r.warnings:
            out.write(self.style.WARNING(f"Uyarı (warning): {warning}"))
