"""manage.py csw_sync: rebuild the CSW records from the layer registry and the imagery table
(requests also rebuild when the registry changes; run this after bulk data edits move extents)."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "CSW kayıtlarını katman kaydından yeniden üretir. (Rebuilds the CSW records from the layer registry.)"

    def handle(self, *args: Any, **options: Any) -> None:
        from ogc.csw.sync import rebuild

        count = rebuild()
        self.stdout.write(f"{count} CSW kaydı yazıldı. ({count} CSW records written.)")
