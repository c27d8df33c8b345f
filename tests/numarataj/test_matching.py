"""Textual (AKS) address matching against a small real-PostGIS register built here.

The register: Çankaya/Ankara with mahalleler Emek and Bahçelievler; streets Kazakistan Caddesi,
36. Sokak, Mareşal Fevzi Çakmak Caddesi, 1203. Sokak, Aşkabat Caddesi and Çiçek Sokak.
"""

import csv
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from django.core.management import CommandError, call_command
from django.test import Client

from geo.text import ascii_key, turkish_lower
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle
from numarataj.services import matching
from numarataj.services.parse import door_key, parse_address

URL = "/api/numarataj/eslestir/"
BATCH_URL = "/api/numarataj/eslestir/toplu/"


@dataclass
class Register:
    emek: Mahalle
    bahce: Mahalle
    streets: dict[str, Csbm]
    doors: dict[tuple[str, str], Adres]
    unit: BagimsizBolum


def _box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))), srid=4326)


@pytest.fixture(autouse=True)
def fresh_index(settings) -> None:
    """Check the register version on every call, so each test sees its own register."""
    settings.KENT_MATCH_REFRESH_SECONDS = 0


@pytest.fixture
def register(db) -> Register:
    il = Il.objects.create(ad="Ankara", plaka=6)
    ilce = Ilce.objects.create(il=il, ad="Çankaya")
    emek = Mahalle.objects.create(ilce=ilce, ad="Emek", geom=_box(32.80, 39.92, 32.82, 39.94))
    bahce = Mahalle.objects.create(ilce=ilce, ad="Bahçelievler", geom=_box(32.82, 39.92, 32.84, 39.94))
    spec = {  # key: (tur, ad, numara, mahalle, doors)
        "kazakistan": ("cadde", "Kazakistan", None, emek, ["6", "30", "41"]),
        "36": ("sokak", "", 36, emek, ["12", "30"]),
        "fevzi": ("cadde", "Mareşal Fevzi Çakmak", None, bahce, ["6", "6/B", "17"]),
        "1203": ("sokak", "", 1203, bahce, ["5"]),
        "askabat": ("cadde", "Aşkabat", None, bahce, ["9/G", "23A"]),
        "cicek": ("sokak", "Çiçek", None, emek, ["3"]),
    }
    streets, doors = {}, {}
    for i, (key, (tur, ad, numara, mah, numbers)) in enumerate(spec.items()):
        y = 39.921 + i * 0.002
        csbm = Csbm.objects.create(ilce=ilce, tur=tur, ad=ad, numara=numara,
                                   geom=MultiLineString(LineString((32.801, y), (32.839, y)), srid=4326))
        csbm.mahalleler.add(mah)
        streets[key] = csbm
        for j, no in enumerate(numbers):
            doors[(key, no)] = Adres.objects.create(csbm=csbm, mahalle=mah, kapi_no=no,
                                                    geom=Point(32.802 + j * 0.001, y + 0.0001, srid=4326))
    unit = BagimsizBolum.objects.create(adres=doors[("1203", "5")], ic_kapi_no="7", kat=2, adres_kodu="1234567890")
    return Register(emek, bahce, streets, doors, unit)


# -- normalisation and parsing (no database) ---------------------------------------------------------


def test_turkish_fold_dotted_and_dotless_i() -> None:
    assert turkish_lower("IŞIK") == "ışık"
    assert turkish_lower("İstanbul") == "istanbul"
    assert "IŞIK".lower() != "ışık"  # why the fold exists
    assert ascii_key("ÇİÇEK SOKAĞI Ümraniye") == "cicek sokagi umraniye"


@pytest.mark.parametrize("written, key", [("6/B", "6B"), ("23A", "23A"), ("9/g", "9G"), ("41", "41")])
def test_door_keys(written: str, key: str) -> None:
    assert door_key(written)[0] == key


def test_parse_door_forms_and_units() -> None:
    p = parse_address("Kazakistan Caddesi 41 D-C")
    assert (p.door, p.unit) == ("41", "C")
    p = parse_address("Aşkabat Cad. No:23A")
    assert p.door == "23A"
    p = parse_address("Mrşl. Fevzi Çakmak Cad. 6/B")
    assert p.door == "6B" and p.streets[0].name_key == "maresal fevzi cakmak"


def test_parse_numbered_street_with_floor_and_unit() -> None:
    p = parse_address("1203 Sk. No:5 Kat 2 D:7")
    street = p.streets[0]
    assert (street.number, street.kind) == (1203, "sokak")
    assert (p.door, p.kat, p.unit) == ("5", "2", "7")
    for text in ("36.Sok", "36. Sokak", "36 sk"):
        assert parse_address(text + " No 4").streets[0].number == 36


def test_parse_mahalle_and_trailing_district_city() -> None:
    p = parse_address("Emek Mah. Kazakistan Cd. No: 41 İç Kapı No: 3 Çankaya/Ankara")
    assert p.mahalle == "emek" and p.streets[0].name_key == "kazakistan"
    assert (p.door, p.unit, p.ilce, p.il) == ("41", "3", "Çankaya", "Ankara")
    assert parse_address("Bahçelievler Mahallesi Aşkabat Bulv. 9").streets[0].kind == "bulvar"


# -- matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, street, door, status", [
    ("Kazakistan Cad. 41", "kazakistan", "41", "exact"),
    ("KAZAKİSTAN CADDESİ NO:41", "kazakistan", "41", "exact"),
    ("kazakistan cd no 41", "kazakistan", "41", "exact"),
    ("Kazakistn Cad 41", "kazakistan", "41", "fuzzy"),
    ("Mrşl. Fevzi Çakmak Cad. 6/B", "fevzi", "6/B", "exact"),
    ("Mareşal Fevzi Çakmak Cd. No:17 Kat 3 Daire 5", "fevzi", "17", "exact"),
    ("Askabat Caddesi 23 A", "askabat", "23A", "exact"),
    ("cicek sok 3", "cicek", "3", "exact"),
    ("No:30 36. Sokak Emek Mahallesi", "36", "30", "exact"),
    ("Aşkabat Cad. 9/G Çankaya/Ankara", "askabat", "9/G", "exact"),
])
def test_match_finds_the_door(register: Register, text: str, street: str, door: str, status: str) -> None:
    result = matching.match_address(text)
    best = result.best
    assert best is not None, result.reason
    assert (best.csbm_id, best.adres_id) == (register.streets[street].id, register.doors[(street, door)].id)
    assert result.status == status
    assert best.lon == pytest.approx(register.doors[(street, door)].geom.x)
    assert 0 <= best.score <= 100


def test_numbered_street_with_trailing_mahalle(register: Register) -> None:
    result = matching.match_address("36.Sok no 30 Emek")
    best = result.best
    assert best.adres_id == register.doors[("36", "30")].id
    assert best.mahalle_id == register.emek.id and best.matched["mahalle"] == "exact"
    assert result.status == "exact"


def test_unit_is_matched(register: Register) -> None:
    best = matching.match_address("1203 Sk. No:5 Kat 2 D:7").best
    assert best.adres_id == register.doors[("1203", "5")].id
    assert best.bagimsiz_bolum_id == register.unit.id and best.matched["unit"] == "exact"


def test_door_letter_not_in_register_falls_back_to_the_number(register: Register) -> None:
    result = matching.match_address("Kazakistan Cad. 41 D-C")
    assert result.best.adres_id == register.doors[("kazakistan", "41")].id
    assert result.best.matched["unit"] == "missing"
    result = matching.match_address("Kazakistan Cad. 30/C")
    assert result.status == "fuzzy" and result.best.matched["door"] == "fuzzy"


def test_door_not_on_street_is_street_only(register: Register) -> None:
    result = matching.match_address("Kazakistan Caddesi No:99")
    assert result.status == "street_only"
    assert result.reason.startswith("kapı numarası 99 bu sokakta yok")
    assert result.best.csbm_id == register.streets["kazakistan"].id and result.best.adres_id is None
    assert result.best.point == "sokak" and result.best.lon is not None


def test_unknown_street_is_not_found_with_reason(register: Register) -> None:
    result = matching.match_address("Zümrüt Sokak No:4")
    assert result.status == "not_found" and result.candidates == []
    assert result.reason == "sokak bulunamadı: zümrüt sokak"


@pytest.mark.parametrize("text, reason_code", [
    ("", "empty"), ("   ", "empty"), ("x" * 10_000, "too_long"),
    ("<script>alert('x')</script>", "street_not_found"), ("41", "no_street"),
])
def test_bad_input_has_a_clear_status(register: Register, text: str, reason_code: str) -> None:
    started = time.perf_counter()
    result = matching.match_address(text)
    assert time.perf_counter() - started < 0.5
    assert (result.status, result.reason_code) == ("not_found", reason_code)
    assert result.reason


def test_index_follows_register_changes(register: Register) -> None:
    assert matching.match_address("Kazakistan Cad. 77").status == "street_only"
    Adres.objects.create(csbm=register.streets["kazakistan"], kapi_no="77", geom=Point(32.81, 39.921, srid=4326))
    assert matching.match_address("Kazakistan Cad. 77").status == "exact"
    Csbm.objects.filter(pk=register.streets["cicek"].pk).update(ad="Gül")
    assert matching.match_address("Gül Sokak 3").status == "exact"


def test_leading_mahalle_without_keyword(register: Register) -> None:
    best = matching.match_address("Emek Kazakistan 41").best
    assert best.adres_id == register.doors[("kazakistan", "41")].id
    assert best.matched == {"street": "exact", "mahalle": "exact", "door": "exact"}


def test_wrong_mahalle_is_fuzzy_with_the_reason(register: Register) -> None:
    result = matching.match_address("Bahçelievler Mah. Kazakistan Cad. 41")
    assert result.best.adres_id == register.doors[("kazakistan", "41")].id
    assert result.status == "fuzzy" and result.best.matched["mahalle"] == "missing"
    assert result.reason == "yazılan mahalle kayıttakiyle uyuşmuyor (kayıtta: Emek)"


def test_rough_street_without_the_door_is_not_found(register: Register) -> None:
    result = matching.match_address("Kazakstn Caddesi 99")  # a rough name (89) and no such door
    assert result.status == "not_found" and "en yakın: Kazakistan Caddesi" in result.reason


def test_two_streets_tied_is_never_exact(register: Register) -> None:
    line = register.streets["cicek"].geom
    for tur in ("sokak", "bulvar"):
        csbm = Csbm.objects.create(ilce=register.streets["cicek"].ilce, tur=tur, ad="Lale", geom=line)
        Adres.objects.create(csbm=csbm, kapi_no="5", geom=Point(32.81, 39.93, srid=4326))
    result = matching.match_address("Lale 5")
    assert result.status == "fuzzy" and result.reason.startswith("belirsiz: 2 sokak")


def test_written_ilce_narrows_repeated_street_names(register: Register) -> None:
    """Street names repeat across a city's ilçeler: a written ilçe (or il) picks the one meant,
    an unknown one narrows nothing, and one without such a street falls back to the whole register."""
    il = Il.objects.get(ad="Ankara")
    istanbul = Il.objects.create(ad="İstanbul", plaka=34)
    others = {ad: Ilce.objects.create(il=owner, ad=ad) for ad, owner in (("Keçiören", il), ("Kadıköy", istanbul))}
    twins = {}
    for i, ilce in enumerate(others.values()):
        y = 39.95 + i * 0.01
        twin = Csbm.objects.create(ilce=ilce, tur="cadde", ad="Kazakistan",
                                   geom=MultiLineString(LineString((32.80, y), (32.83, y)), srid=4326))
        twins[ilce.ad] = Adres.objects.create(csbm=twin, kapi_no="41", geom=Point(32.81, y, srid=4326)).pk
    here = register.doors[("kazakistan", "41")].pk

    def best(text: str) -> tuple[str, int | None]:
        result = matching.match_address(text)
        return result.status, result.best.adres_id

    assert matching.match_address("Kazakistan Cad. No:41").status == "fuzzy"  # three twins tie
    assert best("Kazakistan Cad. No:41 Çankaya/Ankara") == ("exact", here)
    assert best("KAZAKİSTAN CADDESİ 41 KEÇİÖREN / ANKARA") == ("exact", twins["Keçiören"])
    assert best("Kazakistan Cad. No:41 İstanbul") == ("exact", twins["Kadıköy"])  # the il alone
    assert best("Kazakistan Cad. No:41 Kadıköy/Ankara") == ("exact", twins["Kadıköy"])  # the ilçe wins
    assert matching.match_address("Kazakistan Cad. No:41 Yenimahalle/Ankara").status == "fuzzy"  # Ankara: 2 of 3
    assert best("Aşkabat Cad. No:23A Keçiören/Ankara") == ("exact", register.doors[("askabat", "23A")].pk)


def test_index_refresh_is_throttled(register: Register, settings) -> None:
    """Within KENT_MATCH_REFRESH_SECONDS the index is not re-checked (documented staleness)."""
    settings.KENT_MATCH_REFRESH_SECONDS = 3600
    matching.get_index(force=True)
    Adres.objects.create(csbm=register.streets["cicek"], kapi_no="8", geom=Point(32.81, 39.93, srid=4326))
    assert matching.match_address("Çiçek Sokak 8").status == "street_only"
    matching.get_index(force=True)
    assert matching.match_address("Çiçek Sokak 8").status == "exact"


def test_empty_register_is_not_found(db) -> None:
    result = matching.match_address("Kazakistan Cad. 41")
    assert (result.status, result.reason) == ("not_found", "adres kaydı boş")


# -- HTTP ----------------------------------------------------------------------------------------


def test_single_endpoint(register: Register, client: Client) -> None:
    body = client.get(URL, {"q": "Mrşl. Fevzi Çakmak Cad. 6/B", "limit": 2}).json()
    assert body["status"] == "exact"
    cand = body["candidates"][0]
    assert cand["adres_id"] == register.doors[("fevzi", "6/B")].id
    assert cand["csbm"] == "Mareşal Fevzi Çakmak Caddesi" and cand["matched"]["street"] == "exact"
    assert len(body["candidates"]) <= 2


@pytest.mark.parametrize("params, status", [
    ({}, 400), ({"q": ""}, 400), ({"q": "a" * 10_000}, 400), ({"q": "Kazakistan 41", "limit": "x"}, 400),
    ({"q": "<b onmouseover=alert(1)>Nowhere</b>"}, 200),
])
def test_single_endpoint_bad_input(register: Register, client: Client, params: dict, status: int) -> None:
    response = client.get(URL, params)
    assert response.status_code == status
    body = response.json()
    assert body.get("description") or body.get("status") == "not_found"


def test_batch_endpoint(register: Register, client: Client) -> None:
    payload = ["Kazakistan Cad. 41", "36.Sok no 30 Emek", "", "Bilinmeyen Sokak 1"]
    body = client.post(BATCH_URL, json.dumps(payload), content_type="application/json").json()
    assert [r["status"] for r in body["results"]] == ["exact", "exact", "not_found", "not_found"]
    assert body["summary"] == {"exact": 2, "not_found": 2}
    body = client.post(BATCH_URL, json.dumps({"addresses": payload[:1], "limit": 1}),
                       content_type="application/json").json()
    assert body["count"] == 1 and len(body["results"][0]["candidates"]) == 1


@pytest.mark.parametrize("raw, status", [
    (json.dumps(["Kazakistan 41"] * 1001), 413), ("not json", 400), (json.dumps({"x": 1}), 400),
    (json.dumps(["ok", 5]), 400),
])
def test_batch_endpoint_rejects(register: Register, client: Client, raw: str, status: int) -> None:
    response = client.post(BATCH_URL, raw, content_type="application/json")
    assert response.status_code == status
    assert response.json()["description"]


# -- manage.py match_addresses ---------------------------------------------------------------------


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_command_utf8_with_bom(register: Register, tmp_path: Path, capsys) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("id,address\n1,Kazakistan Cad. 41\n2,\"Emek Mah., 36. Sokak No:30\"\n3,Yok Sokak 1\n",
                   encoding="utf-8-sig")
    call_command("match_addresses", str(src), str(out))
    rows = _read(out)
    assert [r["status"] for r in rows] == ["exact", "exact", "not_found"]
    assert rows[0]["adres_id"] == str(register.doors[("kazakistan", "41")].id) and rows[0]["lon"]
    assert rows[2]["reason"].startswith("sokak bulunamadı") and rows[0]["id"] == "1"
    assert "utf-8-sig" in capsys.readouterr().out


def test_command_cp1254_semicolons(register: Register, tmp_path: Path, capsys) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("address;not\nÇiçek Sokak No:3;ş\nAŞKABAT CADDESİ 9/G;ğ\n", encoding="cp1254")
    call_command("match_addresses", str(src), str(out))
    rows = _read(out)
    assert rows[0]["address"] == "Çiçek Sokak No:3" and rows[0]["not"] == "ş"
    assert rows[0]["adres_id"] == str(register.doors[("cicek", "3")].id)
    assert rows[1]["adres_id"] == str(register.doors[("askabat", "9/G")].id)
    assert "cp1254" in capsys.readouterr().out


@pytest.mark.parametrize("content, message", [
    (b"", "boş"), (b"\n  \n", "boş"), (b"adres,no\nKazakistan,41\n", "'address' sütunu yok"),
    (b"address\n", "adres satırı yok"),
])
def test_command_rejects_bad_csv(register: Register, tmp_path: Path, content: bytes, message: str) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("match_addresses", str(src), str(tmp_path / "out.csv"))
