"""`manage.py backup`: one dated archive of the database and the uploaded files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geo.services.backup import BackupError, backup


class Command(BaseCommand):
    help = "Veritabanını ve yüklenen dosyaları tek bir tarihli arşive yedekler. (Back up database and media.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output-dir", type=Path, default=Path(settings.BASE_DIR) / "backups",
                            help="Arşivin yazılacağı dizin (default: backups/).")

    def handle(self, *args, output_dir: Path, verbosity: int = 1, **options) -> None:
        log = self.stdout.write if verbosity > 1 else (lambda _: None)
        try:
            result = backup(output_dir, log=log)
        except BackupError as e:
            raise CommandError(str(e)) from e
        counts = result.manifest["row_counts"]
        self.stdout.write(self.style.SUCCESS(
            f"Yedek alındı (backup written): {result.path}\n"
            f"  {len(counts)} tablo, {sum(counts.values())} satır; "
            f"{result.manifest['media']['files']} dosya"))
