"""`manage.py prune_observations`: drop observation day partitions older than the retention period."""

from django.core.management.base import BaseCommand

from smartcity import conf, partitions


class Command(BaseCommand):
    help = "Saklama süresini aşan gözlem bölümlerini siler. (Drop observation partitions past retention.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None,
                            help="retention in days (default KENT_OBSERVATION_RETENTION_DAYS)")

    def handle(self, *args, **opts) -> None:
        days = opts["days"] if opts["days"] is not None else conf.get("KENT_OBSERVATION_RETENTION_DAYS")
        dropped = partitions.prune(days)
        self.stdout.write(f"retention {days} days: dropped {len(dropped)} partition(s) {' '.join(dropped)}".rstrip())
