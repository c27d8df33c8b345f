"""`manage.py run_schedule [--once]`: enqueue the periodic jobs that are due (settings.KENT_JOB_SCHEDULES),
and mark failed the jobs whose worker died; without --once, check every --every seconds."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from geo.jobs import reap_stale
from geo.jobs.schedule import run_due


class Command(BaseCommand):
    help = ("Zamanı gelen dönemsel işleri kuyruğa alır. (Enqueue the periodic jobs that are due.)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="bir kez bak ve çık (check once and exit)")
        parser.add_argument("--every", type=float, default=60.0, help="saniye (seconds between checks)")

    def handle(self, *args: Any, once: bool, every: float, **options: Any) -> None:
        while True:
            close_old_connections()
            for pk in reap_stale():
                self.stdout.write(f"İş #{pk}: işçisi durmuş, başarısız sayıldı. (Worker died; job marked failed.)")
            for job in run_due():
                self.stdout.write(f"Kuyruğa alındı (enqueued): #{job.pk} {job.title}")
            if once:
                return
            time.sleep(every)
