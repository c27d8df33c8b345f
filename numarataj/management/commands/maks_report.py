"""manage.py maks_report [--ilce ID] [--json]: every MAKS rule violation of the register."""

import json
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from numarataj.models import Ilce
from numarataj.services import conformance


class Command(BaseCommand):
    help = "MAKS uygunluk raporu: kurallara aykırı her kayıt, haritadaki yeriyle. (MAKS conformance report.)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ilce", type=int, help="Yalnızca bu ilçe. (Only this ilçe.)")
        parser.add_argument("--json", action="store_true", help="JSON çıktı. (JSON output.)")

    def handle(self, *args: Any, **options: Any) -> None:
        ilce, one = options["ilce"], None
        if ilce is not None:
            one = Ilce.objects.filter(pk=ilce).first()
            if one is None:
                raise CommandError(f"İlçe yok: {ilce} (no such ilçe)")
        violations = conformance.report(one)
        links = conformance.map_links()
        rows = [{**v.as_dict(), "map_url": conformance.map_url(v, links)} for v in violations]
        if options["json"]:
            self.stdout.write(json.dumps({"count": len(rows), "violations": rows}, ensure_ascii=False, indent=1))
            return
        counts = Counter(v.rule for v in violations)
        for code, title in conformance.rule_titles().items():
            self.stdout.write(f"{counts.get(code, 0):6d}  {title} [{code}]")
        for row in rows:
            self.stdout.write(f"{row['model']}#{row['object_id']} [{row['rule']}] {row['message']} {row['map_url']}")
        self.stdout.write(f"Toplam {len(rows)} aykırılık. (Total violations.)")

