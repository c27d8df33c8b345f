"""`manage.py check_stale`: open/close "silent sensor" alerts (the worker also does this every minute)."""

from django.core.management.base import BaseCommand

from smartcity.alerts import check_stale


class Command(BaseCommand):
    help = "Sessiz sensör uyarılarını açar/kapatır. (Open and close stale-sensor alerts.)"

    def handle(self, *args, **opts) -> None:
        opened, closed = check_stale()
        self.stdout.write(f"stale alerts: {opened} opened, {closed} closed")
