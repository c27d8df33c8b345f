"""Apply every approved street-naming decision whose effective date has arrived (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from geo.errors import KentError
from numarataj.services import naming


class Command(BaseCommand):
    help = "Yürürlük tarihi gelen onaylı adlandırma kararlarını CSBM'lere uygular. (Apply due naming decisions.)"

    def handle(self, *args, **options) -> None:
        applied = failed = 0
        for karar in naming.due().order_by("yururluk_tarihi", "id"):
            try:
                naming.take_effect(karar)
            except KentError as e:  # one bad decision (e.g. a name taken meanwhile) must not stop the rest
                failed += 1
                self.stderr.write(f"Karar #{karar.pk}: {e.message}")
                continue
            applied += 1
            self.stdout.write(f"Karar #{karar.pk}: {karar.eski_tam_ad or '—'} → {karar.yeni_tam_ad} "
                              f"({karar.yururluk_tarihi})")
        self.stdout.write(f"{applied} karar uygulandı, {failed} karar uygulanamadı.")
