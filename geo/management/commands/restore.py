"""`manage.py restore FILE`: bring a `manage.py backup` archive back into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geo.services.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Bir Kent yedeğini boş bir veritabanına geri yükler ve satır sayılarını doğrular. "
            "(Restore a Kent backup into an empty database and verify its row counts.)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="kent-YYYYMMDD-HHMMSS.tar")
        parser.add_argument("--database-name", help="Hedef veritabanı (default: ayarlardaki / configured one).")
        parser.add_argument("--force", action="store_true",
                            help="Hedef boş değilse silip yeniden kur. (Drop and recreate a non-empty target.)")

    def handle(self, *args, file: Path, database_name: str | None, force: bool, verbosity: int = 1,
               **options) -> None:
        log = self.stdout.write if verbosity > 1 else (lambda _: None)
        try:
            result = restore(file, database_name=database_name, force=force, log=log)
        except BackupError as e:
            raise CommandError(str(e)) from e
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(
            f"Geri yüklendi (restored) → {result.database}: {len(result.row_counts)} tablo, "
            f"{sum(result.row_counts.values())} satır (doğrulandı / verified); {result.media_files} dosya"))
