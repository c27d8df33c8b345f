"""Benchmark of textual (AKS) address matching: accuracy, batch throughput, HTTP latency. Not a test.

    .venv/bin/python bench/matching.py [--osm ../shared/data/ankara-bahcelievler.osm]
                                       [--loader minimal|import_osm] [--keep-db] [--db NAME]

It uses the configured PostgreSQL server but its own throw-away database (``bench_kent_matching``,
or --db / KENT_BENCH_MATCHING_DB, created with migrations and dropped at the end), so the developer
database is never touched.
Register: by default a minimal loader (bench/matching_register.py) builds it from the OSM export —
one CSBM per named highway, approximate mahalle areas, the labelled OSM elements' doors as the
officer would record them (bench/matching_labelled.csv: street + door), and a plausible door for
every other building on its nearest street. ``--loader import_osm`` uses ``manage.py import_osm``
instead and reports how many labels its register can answer at all.
Labelled set: the OSM elements' own addr:* tags (read from the export at run time), the written
variants in the CSV, negatives, and queries generated from the register in random written styles.
See bench/README.md for the definitions of precision and recall and for the goals.
"""

import argparse
import csv
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.matching_register import label_key, minimal_register, read_osm, synthetic_streets  # noqa: E402
from geo.text import ascii_key  # noqa: E402
from numarataj.models import Adres, BagimsizBolum, Mahalle  # noqa: E402
from numarataj.services import match_index, matching  # noqa: E402
from numarataj.services.parse import door_key  # noqa: E402

OSM = ROOT.parent / "shared" / "data" / "ankara-bahcelievler.osm"
LABELS = ROOT / "bench" / "matching_labelled.csv"
GOAL_RATE, GOAL_P95_MS = 1000.0, 50.0


@dataclass
class Case:
    group: str
    query: str
    street: str  # expected register street ("" = must not be found)
    door: str  # expected door ("" = street only)


# -- the labelled set ----------------------------------------------------------------------------


def written_from_tags(tags: dict[str, str]) -> str:
    """The element's own addr:* tags as one line: neighbourhood, street, number, city."""
    keys = ("addr:neighbourhood", "addr:street", "addr:housenumber", "addr:city")
    return ", ".join(tags[k] for k in keys if tags.get(k))


def _typo(rng: random.Random, name: str) -> str:
    """One keyboard slip in the first alphabetic word: a letter dropped, doubled or swapped."""
    words = name.split()
    i = next((k for k, w in enumerate(words) if w.isalpha() and len(w) >= 5), None)
    if i is None:
        return name
    w, j = words[i], rng.randrange(1, len(words[i]) - 2)
    words[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + w[j] + w[j:], w[:j] + w[j + 1] + w[j] + w[j + 2:]])
    return " ".join(words)


def styled(rng: random.Random, street: str, door: str, mahalle: str | None) -> str:
    """One register address in a random written style: abbreviations, case, diacritics, typos, order."""
    name = street
    for full, short in (("Caddesi", rng.choice(["Cad.", "Cd.", "Caddesi", "cad", "Cadde"])),
                        ("Sokak", rng.choice(["Sok.", "Sk.", "Sokak", "sk", "Sokağı"])),
                        ("Bulvarı", rng.choice(["Bulv.", "Blv.", "Bulvarı"]))):
        name = name.replace(full, short)
    name = re.sub(r"^(\d+)\. ", lambda m: rng.choice([f"{m.group(1)}.", f"{m.group(1)} ", f"{m.group(1)}. "]), name)
    if rng.random() < 0.25:
        name = _typo(rng, name)
    if rng.random() < 0.1 and name[:1].isalpha():  # the kind left out: "Kazakistan 41"
        name = name.rsplit(" ", 1)[0]
    number = f"{rng.choice(['No:', 'No ', 'no:', 'No: ', ''])}{door}"
    text = f"{number} {name}" if rng.random() < 0.15 else f"{name} {number}"
    if mahalle and rng.random() < 0.4:
        mah = f"{mahalle} {rng.choice(['Mah.', 'Mh.', 'Mahallesi', ''])}".strip()
        text = f"{mah} {text}" if rng.random() < 0.7 else f"{text}, {mah}"
    if rng.random() < 0.3:
        text += f" Kat {rng.randint(1, 5)} Daire {rng.randint(1, 4)}"
    if rng.random() < 0.2:
        text += " Çankaya/Ankara"
    style = rng.random()
    if style < 0.2:
        return text.replace("i", "İ").upper()
    if style < 0.4:
        return ascii_key(text)
    return text


# Street names that a Turkish city commonly has but this register does not (for false positives).
ABSENT = ["Gül", "Lale", "Menekşe", "Papatya", "İstiklal", "Cumhuriyet", "Gazi Mustafa Kemal", "İnönü", "Fatih",
          "Yavuz Selim", "Barbaros", "Okul", "Çamlık", "Pınar", "Ihlamur", "Nergis", "Sümbül", "Karanfil", "Zambak",
          "Orkide", "Şehit Ali Gaffar Okkan", "Hürriyet", "Zafer", "Yıldız", "Kardelen", "Akasya", "Çınar"]


def load_cases(osm: Path, labels: list[dict], generated: int) -> list[Case]:
    _, elements = read_osm(osm)
    tags_of = {ref: tags for ref, tags, _ in elements}
    cases = []
    for row in labels:
        query = written_from_tags(tags_of.get(row["osm_ref"], {})) if row["group"] == "osm" else row["address"]
        cases.append(Case(row["group"], query, row["expected_street"], row["expected_door"]))
    rng = random.Random(7)
    pool = [a for a in Adres.objects.filter(csbm__isnull=False).select_related("csbm", "mahalle")
            if match_index.register_door_key(a.kapi_no)]
    mahalleler = list(Mahalle.objects.values_list("ad", flat=True))
    for adres in rng.sample(pool, min(generated, len(pool))):
        mahalle = adres.mahalle.ad if adres.mahalle else None
        if rng.random() < 0.1:  # people often name the wrong (neighbouring) mahalle
            mahalle = rng.choice(mahalleler)
        missing_door = rng.random() < 0.1  # a door the street does not have: street_only expected
        door = str(900 + rng.randrange(99)) if missing_door else adres.kapi_no
        cases.append(Case("generated", styled(rng, adres.csbm.tam_ad, door, mahalle),
                          adres.csbm.tam_ad, "" if missing_door else adres.kapi_no))
    for _ in range(generated // 10):
        street = f"{rng.choice(ABSENT)} {rng.choice(['Caddesi', 'Sokak', 'Bulvarı'])}"
        cases.append(Case("generated", styled(rng, street, str(rng.randint(1, 60)), None), "", ""))
    return cases


def is_correct(case: Case, result: matching.MatchResult) -> bool:
    best = result.best
    if not case.street:
        return result.status == matching.NOT_FOUND
    if best is None or label_key(best.csbm) != label_key(case.street):
        return False
    if not case.door:
        return result.status == matching.STREET_ONLY
    found = match_index.register_door_key(best.kapi_no or "")
    return found is not None and found[0] == match_index.register_door_key(case.door)[0]


# -- measurements --------------------------------------------------------------------------------


def accuracy(cases: list[Case]) -> None:
    print(f"{'grup':<10} {'n':>5} {'yanıtlanan':>10} {'doğru':>6} {'precision':>9} {'recall':>7}")
    groups = sorted({c.group for c in cases}) + ["TOPLAM"]
    wrong = []
    for group in groups:
        chosen = [c for c in cases if group in ("TOPLAM", c.group)]
        results = [matching.match_address(c.query) for c in chosen]
        answered = [(c, r) for c, r in zip(chosen, results, strict=True) if r.status != matching.NOT_FOUND]
        correct_answers = sum(is_correct(c, r) for c, r in answered)
        positives = [c for c in chosen if c.street]
        precision = correct_answers / len(answered) if answered else 1.0
        recall = correct_answers / len(positives) if positives else 1.0
        print(f"{group:<10} {len(chosen):>5} {len(answered):>10} {correct_answers:>6} {precision:>9.3f} {recall:>7.3f}")
        if group == "TOPLAM":
            wrong = [(c, r) for c, r in zip(chosen, results, strict=True) if not is_correct(c, r)]
    for c, r in wrong[:25]:
        got = f"{r.best.csbm} {r.best.kapi_no or ''}" if r.best else "-"
        print(f"  yanlış [{c.group}] {c.query!r}: beklenen {c.street or 'bulunamadı'} {c.door} → {r.status} {got}")


def coverage(cases: list[Case]) -> None:
    """How many door-level labels the register can answer at all (matters with --loader import_osm)."""
    doors = {(label_key(a.csbm.tam_ad), key[0]) for a in Adres.objects.select_related("csbm")
             if a.csbm_id and (key := match_index.register_door_key(a.kapi_no))}
    wanted = [c for c in cases if c.group != "generated" and c.door]
    absent = [c for c in wanted if (label_key(c.street), door_key(c.door)[0]) not in doors]
    print(f"kayıtta bulunan etiketli kapılar: {len(wanted) - len(absent)}/{len(wanted)}"
          + (f" (yok: {', '.join(sorted({f'{c.street} {c.door}' for c in absent}))})" if absent else ""))


def throughput(cases: list[Case], repeat_to: int = 20_000) -> None:
    texts = [c.query for c in cases]
    texts = (texts * (repeat_to // max(len(texts), 1) + 1))[:repeat_to]
    matching.match_addresses(texts[:200])  # warm
    started = time.perf_counter()
    matching.match_addresses(texts)
    rate = len(texts) / (time.perf_counter() - started)
    client, batch = Client(), texts[:1000]
    started = time.perf_counter()
    for _ in range(5):
        response = client.post("/api/numarataj/eslestir/toplu/", {"addresses": batch}, content_type="application/json")
        assert response.status_code == 200, response.content[:200]
    http_rate = 5 * len(batch) / (time.perf_counter() - started)
    print(f"toplu eşleştirme: {rate:,.0f} adres/s (hedef {GOAL_RATE:,.0f}: ×{rate / GOAL_RATE:.1f}); "
          f"HTTP toplu uç noktası: {http_rate:,.0f} adres/s (×{http_rate / GOAL_RATE:.1f})")


def latency(cases: list[Case], n: int = 1000) -> None:
    client = Client()
    queries = [c.query for c in cases if c.query.strip()]
    times = []
    for i in range(n):
        started = time.perf_counter()
        response = client.get("/api/numarataj/eslestir/", {"q": queries[i % len(queries)]})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
    print(f"tek arama (HTTP, Django test Client, {n} istek): p50 {p50:.2f} ms, p95 {p95:.2f} ms "
          f"(hedef p95 ≤ {GOAL_P95_MS:.0f} ms: ×{GOAL_P95_MS / p95:.1f} pay)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--osm", type=Path, default=OSM)
    ap.add_argument("--loader", choices=["minimal", "import_osm"], default="minimal")
    ap.add_argument("--generated", type=int, default=1000, help="generated queries from the register")
    ap.add_argument("--extra-streets", type=int, default=2000, help="synthetic streets added (municipal scale)")
    ap.add_argument("--keep-db", action="store_true")
    ap.add_argument("--db", default=os.environ.get("KENT_BENCH_MATCHING_DB", "bench_kent_matching"),
                    help="the throw-away database's name (one per concurrent run)")
    args = ap.parse_args()
    if not args.osm.is_file():
        sys.exit(f"OSM dosyası yok: {args.osm} (../shared/data gerekli)")
    if args.loader == "import_osm" and "import_osm" not in get_commands():
        sys.exit("import_osm komutu bu kurulumda yok; --loader minimal kullanın.")
    with open(LABELS, encoding="utf-8", newline="") as f:
        labels = list(csv.DictReader(f))
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = args.db
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        if args.loader == "import_osm":
            call_command("import_osm", str(args.osm), verbosity=0)
        else:
            minimal_register(args.osm, labels)
        if args.extra_streets:
            synthetic_streets(args.extra_streets)
        index = matching.get_index(force=True)
        print(f"kayıt ({args.loader}): {Mahalle.objects.count()} mahalle, {len(index.streets)} CSBM, "
              f"{Adres.objects.count()} kapı, {BagimsizBolum.objects.count()} bağımsız bölüm "
              f"({time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        for _ in range(20):
            match_index.register_version()
        print(f"sürüm anahtarı sorgusu: {(time.perf_counter() - started) / 20 * 1000:.1f} ms "
              f"(en çok KENT_MATCH_REFRESH_SECONDS'ta bir); indeks kurulumu: ", end="")
        started = time.perf_counter()
        matching.get_index(force=True)
        print(f"{(time.perf_counter() - started) * 1000:.0f} ms")
        cases = load_cases(args.osm, labels, args.generated)
        coverage(cases)
        accuracy(cases)
        throughput(cases)
        latency(cases)
    finally:
        if not args.keep_db:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
