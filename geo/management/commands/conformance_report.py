"""`manage.py conformance_report`: the TUCBS conformance of every layer, as text or JSON.

It is a report, not a gate: non-conforming layers do not change the exit code."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from geo.services.conformance import LayerConformance, conformance_all, summary


class Command(BaseCommand):
    help = "Katmanların TUCBS uygunluk raporu. (TUCBS conformance report of the layers.)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--layer", metavar="SLUG", help="Yalnız bu katman. (Only this layer.)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON çıktı. (JSON output.)")

    def handle(self, *args, layer: str | None, as_json: bool, **options) -> None:
        reports = conformance_all(layer)
        if layer and not reports:
            raise CommandError(f"'{layer}' adlı katman yok. (No such layer.)")
        if as_json:
            self.stdout.write(_dumps({"summary": summary(reports), "layers": [r.as_dict() for r in reports]}))
            return
        for report in reports:
            self.stdout.write(self._table(report))
        s = summary(reports)
        self.stdout.write(_("{layers} katman: {ok} uygun, {bad} uygun değil.").format(
            layers=s["layers"], ok=s["conforming"], bad=s["not_conforming"]))

    def _table(self, r: LayerConformance) -> str:
        verdict = self.style.SUCCESS(_("UYGUN")) if r.conforms else self.style.ERROR(_("UYGUN DEĞİL"))
        theme = f"{r.theme_code} {r.theme_name}" + (f" ({_('geçici kod')})" if r.theme_provisional else "")
        missing = ", ".join(f"{a}={n}" + (f" ({_('şemada yok')})" if a in r.undeclared else "")
                            for a, n in r.missing_values.items())
        rows = [
            (_("kaynak"), f"{r.source}, {r.row_count} {_('satır')}"),
            (_("TUCBS teması"), theme),
            (_("boş zorunlu öznitelik"), missing or "-"),
            (_("geçersiz geometri"), str(r.invalid_geometries)),
            (_("yanlış geometri türü"), f"{r.wrong_family} ({_('beklenen')}: {r.geometry_family_label})"),
            (_("boş geometri"), str(r.empty_geometries)),
            (_("eksik üstveri"), ", ".join(r.metadata_missing_labels) or "-"),
        ]
        if r.error:
            rows.append((_("hata"), r.error))
        width = max(len(k) for k, _v in rows)
        body = "\n".join(f"  {k.ljust(width)}  {v}" for k, v in rows)
        return f"{r.slug} — {r.title}: {verdict}\n{body}\n"


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
