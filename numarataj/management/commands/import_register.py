"""manage.py import_register PATH [--profile NAME|FILE.yaml] [--dry-run] [--skip-invalid] [--ilce ID]:
bring a municipality's register (GeoPackage, folder or zip of Shapefiles/CSVs) in by code."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.errors import KentError
from numarataj.models import Ilce
from numarataj.register_io import profiles
from numarataj.register_io.commit import RegisterImportRefused, import_register
from numarataj.register_io.sources import open_layer_set
from numarataj.register_io.validate import Report


class Command(BaseCommand):
    help = ("Adres kaydını katmanlı dosyalardan koda göre aktarır (önce deneme). "
            "(Import the address register from layered files, by code.)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--profile", help="Kayıtlı profil adı ya da YAML dosyası; yoksa adlardan önerilir. "
                                              "(Saved profile name or YAML file; suggested if omitted.)")
        parser.add_argument("--dry-run", action="store_true", help="Yalnızca rapor, yazma yok. (Report only.)")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="Reddedilen satırları atlayıp gerisini yaz. (Write the good rows.)")
        parser.add_argument("--ilce", type=int, help="Hedef ilçe kimliği. (Target ilçe id.)")
        parser.add_argument("--suggest", action="store_true",
                            help="Önerilen profili YAML olarak yaz ve çık. (Print the suggested profile.)")
        parser.add_argument("--save-profile", help="Kullanılan profili bu adla kaydet. (Save the profile by name.)")
        parser.add_argument("--json", action="store_true", help="Raporu JSON yaz. (JSON report.)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(options)
        except RegisterImportRefused as e:
            self._print(e.report, options["json"])
            raise CommandError(e.message) from None
        except KentError as e:
            raise CommandError(e.message) from None

    def _run(self, options: dict[str, Any]) -> None:
        if options["profile"]:
            profile = profiles.load(options["profile"])
        else:
            with open_layer_set(options["path"]) as layers:
                profile = profiles.suggest(layers.columns())
            profile.name = "önerilen"
        if options["suggest"]:
            self.stdout.write(profile.to_yaml())
            return
        if options["save_profile"]:
            profiles.save(profile, options["save_profile"])
        ilce = None
        if options["ilce"] is not None:
            ilce = Ilce.objects.filter(pk=options["ilce"]).first()
            if ilce is None:
                raise CommandError(f"İlçe yok: {options['ilce']} (no such ilçe)")
        report = import_register(options["path"], profile, user=None, ilce=ilce, dry=options["dry_run"],
                                 skip_invalid=options["skip_invalid"])
        self._print(report, options["json"])

    def _print(self, report: Report, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str))
            return
        self.stdout.write(f"İlçe: {report.ilce}  profil: {report.profile}")
        for name, lr in report.layers.items():
            self.stdout.write(f"{name:15s} {lr.source:20s} {lr.crs:11s} okunan {lr.rows:6d}  yeni {lr.create:6d}  "
                              f"güncellenen {lr.update:6d}  aynı {lr.unchanged:6d}  reddedilen {len(lr.refused):5d}")
        for note in report.refused[:200]:
            self.stdout.write(f"  RED {note.layer} satır {note.row} {note.code}: {note.reason}")
        for v in report.violations[:200]:
            self.stdout.write(f"  MAKS {v['layer']} satır {v['row']} {v['code']} [{v['rule']}] {v['message']}")
        for w in report.warnings:
            self.stdout.write(f"  uyarı: {w}")
        state = (f"yazıldı, {report.changes} değişiklik kaydı (written)" if report.committed
                 else "deneme, hiçbir şey yazılmadı (dry run, nothing written)")
        self.stdout.write(f"{len(report.violations)} MAKS aykırılığı; {state}.")
