"""manage.py match_addresses IN.csv OUT.csv — match a CSV of free-text addresses to the register.

Input: one address per row in column ``address`` (``--column`` to change), comma, semicolon or tab
separated (sniffed; Excel in Turkish locale writes semicolons). Encoding, chosen in this order:
a UTF-8 BOM → UTF-8; else strict UTF-8; if that fails to decode → cp1254 (Windows Turkish, what
Excel saves as "CSV"). Turkish letters in cp1254 (Ç=0xC7, ş=0xFE, …) are never valid UTF-8 in
real text, so the fallback is safe; the encoding used is printed. ``--encoding`` forces one.
Output: the input columns plus the best candidate's ids, lon, lat, score, status and reason, in
UTF-8 with a BOM so that Excel shows the Turkish letters right.
"""

import codecs
import csv
import io
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from numarataj.services.matching import NOT_FOUND, get_index, match_address

OUT_COLUMNS = ["mahalle_id", "csbm_id", "adres_id", "bagimsiz_bolum_id", "lon", "lat", "score", "status", "reason"]


def decode(raw: bytes, forced: str | None = None) -> tuple[str, str]:
    """(text, encoding used): BOM → utf-8-sig, else utf-8, else cp1254; CommandError if neither."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CommandError("UTF-16 dosyalar desteklenmiyor; dosyayı UTF-8 ya da Windows-1254 olarak kaydedin.")
    tries = [forced] if forced else (["utf-8-sig"] if raw.startswith(codecs.BOM_UTF8) else ["utf-8", "cp1254"])
    for encoding in tries:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
        except LookupError as e:
            raise CommandError(f"Bilinmeyen kodlama: {forced}") from e
    raise CommandError(f"Dosya {' ya da '.join(tries)} olarak okunamadı.")


class Command(BaseCommand):
    help = ("Bir CSV dosyasındaki adresleri ('address' sütunu) adres kaydıyla eşleştirir ve sonuçları "
            "(kimlikler, nokta, puan, durum, gerekçe) yeni bir CSV'ye yazar.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("input", help="Girdi CSV (UTF-8 ya da Windows-1254)")
        parser.add_argument("output", help="Çıktı CSV (UTF-8, BOM'lu)")
        parser.add_argument("--column", default="address", help="Adres sütununun adı (varsayılan: address)")
        parser.add_argument("--encoding", default=None, help="Girdi kodlamasını zorla (ör. cp1254)")

    def handle(self, *args, **options) -> None:
        path = Path(options["input"])
        if not path.is_file():
            raise CommandError(f"Girdi dosyası bulunamadı: {path}")
        text, encoding = decode(path.read_bytes(), options["encoding"])
        if not text.strip():
            raise CommandError(f"Girdi dosyası boş: {path}")
        try:
            dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
        fields = [f.strip() for f in reader.fieldnames or []]
        column = options["column"]
        if column not in fields:
            raise CommandError(f"'{column}' sütunu yok. Bulunan sütunlar: {', '.join(fields) or '(yok)'}")
        clash = set(fields) & set(OUT_COLUMNS)
        if clash:
            raise CommandError(f"Girdide çıktı sütunlarıyla aynı adlı sütunlar var: {', '.join(sorted(clash))}")
        reader.fieldnames = fields
        rows = list(reader)
        if not rows:
            raise CommandError(f"Girdide adres satırı yok (yalnızca başlık): {path}")

        index = get_index()
        counts: dict[str, int] = {}
        with open(options["output"], "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=fields + OUT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for row in tqdm(rows, unit="adres", file=sys.stderr, disable=options["verbosity"] == 0):
                result = match_address(row.get(column) or "", index=index)
                best = result.best
                row.update({c: "" for c in OUT_COLUMNS})
                if best is not None and result.status != NOT_FOUND:
                    row.update({c: getattr(best, c) for c in OUT_COLUMNS[:6]})
                    row["score"] = best.score
                row["status"], row["reason"] = result.status, result.reason or ""
                counts[result.status] = counts.get(result.status, 0) + 1
                writer.writerow(row)
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"{len(rows)} adres eşleştirildi ({summary}); girdi kodlaması: {encoding}; "
                          f"çıktı: {options['output']}")
