"""`manage.py observation_partitions`: create day partitions ahead of time and list them."""

from django.core.management.base import BaseCommand

from smartcity import partitions


class Command(BaseCommand):
    help = "Gözlem tablosu için gün bölümleri oluşturur. (Create observation day partitions ahead.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ahead", type=int, default=7, help="days after today")
        parser.add_argument("--back", type=int, default=1, help="days before today")

    def handle(self, *args, **opts) -> None:
        partitions.ensure_ahead(days_ahead=opts["ahead"], days_back=opts["back"])
        for name, day in partitions.existing():
            self.stdout.write(f"{day.isoformat()}  {name}")
