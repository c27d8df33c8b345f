"""Documents: the address card PDF (read back with poppler), its public verification, accruals and
the period report, and address-determination requests with their personal data kept to officers."""

import datetime as dt
import io
import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from geo.errors import Conflict, InvalidInput, NotFound
from numarataj.models import Adres, BagimsizBolum
from numarataj.models.documents import AdresKarti, AdresTespitTalebi, Tahakkuk, Tarife
from numarataj.services import accruals, cards, minimap, requests
from numarataj.services.matching import get_index

TCKN = "10000000146"  # passes the checksum, belongs to no one


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def unit(mahalle, make_csbm, make_yapi, pt) -> BagimsizBolum:
    """İstiklal Mahallesi, Çiçek Sokak No: 15, İç Kapı 3 — with neighbours for the map."""
    mahalle.ad = "İstiklal"
    mahalle.save()
    street = make_csbm("Çiçek", "sokak", [(100, 200), (400, 200)])
    make_csbm("Gül", "sokak", [(250, 100), (250, 190)])
    target = make_yapi(300, 225, w=24, h=16)
    for x in (200, 350):
        neighbour = make_yapi(x, 225, w=18, h=14)
        Adres.objects.create(csbm=street, mahalle=mahalle, yapi=neighbour, kapi_no=str(x // 25), geom=pt(x, 217))
    door = Adres.objects.create(csbm=street, mahalle=mahalle, yapi=target, kapi_no="15", geom=pt(300, 216))
    return BagimsizBolum.objects.create(adres=door, ic_kapi_no="3", kat=1, adres_kodu="1234567890")


@pytest.fixture
def tariffs(db) -> dict[str, Tarife]:
    start = days_ago(365)
    return {k: Tarife.objects.create(kalem=k, birim_fiyat=Decimal(p), gecerlilik_baslangic=start,
                                     meclis_karar_no="2024/112")
            for k, p in (("adres_karti", "150.00"), ("kapi_levhasi", "40.00"), ("veri_satisi", "0.50"))}


@pytest.fixture
def clerk(db) -> User:
    """Municipal staff, but not a numarataj officer."""
    user = User.objects.create_user("cbs1", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="CBS Editörü"))
    return user


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


# --- the card -------------------------------------------------------------------------------------

def test_card_pdf_renders_with_turkish_text_map_and_qr(unit, tariffs, officer, tmp_path):
    card = cards.issue(unit, user=officer)
    content = cards.card_pdf(card, f"http://kent.test/numarataj/dogrula/{cards.display_code(card.kod)}/")
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    for expected in ("İstiklal Mahallesi", "Çiçek Sokak", "15", "1234567890", "Deneme / Ankara",
                     cards.display_code(card.kod), "ADRES KARTI / NUMARATAJ BELGESİ", "DENEME BELEDİYE BAŞKANLIĞI"):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "doc.pdf")], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert [row.split()[2] for row in images].count("image") == 2  # the map and the QR code (+ the map's alpha)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "doc.pdf"), str(tmp_path / "p")],
                   check=True)
    page = Image.open(tmp_path / "p.png").convert("RGB")
    pixels = list(page.get_flattened_data())
    ink = sum(1 for r, g, b in pixels if r + g + b < 600)
    assert ink / len(pixels) > 0.03, "the page is (nearly) blank"
    highlighted = sum(1 for r, g, b in pixels if r > 200 and 120 < g < 190 and 120 < b < 190)
    assert highlighted > 20, "the map's highlighted building is missing"


def test_card_of_a_unit_awaiting_registration_says_so(unit, tariffs, officer, tmp_path):
    """Kent invents no codes: a unit (and its door) without UAVT's code are printed as awaiting it."""
    BagimsizBolum.objects.filter(pk=unit.pk).update(adres_kodu=None)
    card = cards.issue(BagimsizBolum.objects.get(pk=unit.pk), user=officer)
    assert card.adres_kodu == ""
    text = " ".join(pdf_text(cards.card_pdf(card, "http://kent.test/d/"), tmp_path).split())
    assert text.count("Tescil bekliyor") == 2  # the door's UAVT no and the unit's code (the table wraps the rest)
    Adres.objects.filter(pk=unit.adres_id).update(uavt_kodu="12345678")
    text = " ".join(pdf_text(cards.card_pdf(card, "http://kent.test/d/"), tmp_path).split())
    assert "12345678" in text and text.count("Tescil bekliyor") == 1


def test_minimap_is_drawn_by_mapnik_and_leaves_proj_alone(unit):
    before = {k: os.environ.get(k) for k in ("PROJ_LIB", "PROJ_DATA", "GDAL_DATA")}
    png = minimap.render_png(unit.adres, width=320, height=240)
    assert {k: os.environ.get(k) for k in before} == before
    image = Image.open(io.BytesIO(png))
    assert image.size == (320, 240) and len(set(image.convert("RGB").get_flattened_data())) > 10
    # GeoDjango/PROJ still find proj.db after mapnik was imported
    p = Point(32.85, 39.92, srid=4326)
    p.transform(5255)
    assert 480_000 < p.x < 500_000


def test_card_needs_a_tariff_and_a_complete_address(unit, officer, tariffs):
    Tarife.objects.filter(kalem="adres_karti").delete()
    with pytest.raises(Conflict, match="tarife yok"):
        cards.issue(unit, user=officer)
    assert not AdresKarti.objects.exists() and not Tahakkuk.objects.exists()
    Tarife.objects.create(kalem="adres_karti", birim_fiyat=Decimal("150"), gecerlilik_baslangic=days_ago(1),
                          meclis_karar_no="1")
    Adres.objects.filter(pk=unit.adres_id).update(kapi_no="")
    with pytest.raises(InvalidInput, match="Adres eksik"):
        cards.issue(unit, user=officer)


def test_officer_issues_a_card_over_http_and_gets_the_pdf(client, unit, tariffs, officer, clerk):
    client.force_login(clerk)
    assert client.post("/api/numarataj/kartlar/", {"adres_kodu": "1234567890"},
                       content_type="application/json").status_code == 403
    assert client.get("/numarataj/kart/").status_code == 404
    client.force_login(officer)
    assert client.get("/numarataj/kart/").status_code == 200
    unknown = client.post("/api/numarataj/kartlar/", {"adres_kodu": "9999999999"}, content_type="application/json")
    assert unknown.status_code == 404
    bad = client.post("/api/numarataj/kartlar/", {"adres_kodu": "12345"}, content_type="application/json")
    assert bad.status_code == 400
    r = client.post("/api/numarataj/kartlar/", {"adres_kodu": "1234567890"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["tahakkuk"]["tutar"] == "150.00"
    form = client.post("/numarataj/kart/", {"adres_kodu": "1234567890"})
    assert form.status_code == 302 and form["Location"].endswith(".pdf")
    pdf = client.get(form["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert AdresKarti.objects.count() == 2


# --- verification ---------------------------------------------------------------------------------

def test_verification_page_finds_the_card_and_a_wrong_code_is_404(client, unit, tariffs, officer):
    card = cards.issue(unit, user=officer)
    for code in (cards.display_code(card.kod), card.kod.lower()):
        page = client.get(f"/numarataj/dogrula/{code}/")
        body = page.content.decode()
        assert page.status_code == 200 and "geçerlidir" in body and "Çiçek Sokak No: 15 İç Kapı No: 3" in body
        assert officer.username not in body and "guncel-degil" not in body
    wrong = "0" * 12 if card.kod != "0" * 12 else "1" * 12
    assert client.get(f"/numarataj/dogrula/{wrong}/").status_code == 404
    assert client.get("/numarataj/dogrula/not-a-code!/").status_code == 404
    api = client.get(f"/api/numarataj/dogrula/{wrong}/")
    assert api.status_code == 404 and api.json()["code"] == "NotFound"
    with pytest.raises(NotFound):
        cards.verify("")


def test_verification_says_when_the_address_changed_since(client, unit, tariffs, officer):
    card = cards.issue(unit, user=officer)
    unit.adres.csbm.__class__.objects.filter(pk=unit.adres.csbm_id).update(ad="Menekşe")
    body = client.get(f"/numarataj/dogrula/{card.kod}/").content.decode()
    assert "Çiçek Sokak" in body and 'data-testid="guncel-degil"' in body


# --- accruals -------------------------------------------------------------------------------------

def test_accruals_per_card_and_the_period_report(client, unit, tariffs, officer):
    cards.issue(unit, user=officer)
    cards.issue(unit, user=officer)
    accruals.accrue("kapi_levhasi", 10, user=officer, aciklama="Çiçek Sokak levhaları")
    accruals.accrue("veri_satisi", 2000, user=officer)
    accruals.accrue("kapi_levhasi", 1, user=officer, day=days_ago(100))  # outside the period
    assert Tahakkuk.objects.filter(kalem="adres_karti").count() == 2
    assert all(c.tahakkuk.tutar == Decimal("150.00") for c in AdresKarti.objects.all())
    report = accruals.period_report(days_ago(30), days_ago(0))
    totals = {r.kalem: (r.adet, r.miktar, r.tutar) for r in report.rows}
    assert totals == {"adres_karti": (2, 2, Decimal("300.00")), "kapi_levhasi": (1, 10, Decimal("400.00")),
                      "veri_satisi": (1, 2000, Decimal("1000.00"))}
    assert report.toplam == Decimal("1700.00")
    client.force_login(officer)
    period = f"from={days_ago(30)}&to={days_ago(0)}"
    page = client.get(f"/numarataj/tahakkuk/?{period}")
    assert page.status_code == 200 and "1700,00" in page.content.decode()  # Turkish decimal comma
    csv = client.get(f"/numarataj/tahakkuk/?{period}&format=csv").content.decode("utf-8-sig")
    assert "adres_karti;Adres kartı / numarataj belgesi;2;2;300.00" in csv and "toplam;Toplam;4;;1700.00" in csv
    assert client.get("/numarataj/tahakkuk/?from=2025-13-01").status_code == 400
    no_tariff = client.post("/numarataj/tahakkuk/yeni/", {"kalem": "csbm_levhasi", "miktar": 2}, follow=True)
    assert "tarife yok" in no_tariff.content.decode()
    client.post("/numarataj/tahakkuk/yeni/", {"kalem": "kapi_levhasi", "miktar": 2, "aciklama": "Gül Sokak"})
    assert accruals.period_report(days_ago(0), days_ago(0)).toplam == Decimal("1780.00")
    assert client.get(f"/numarataj/tahakkuk/?from={days_ago(0)}&to={days_ago(5)}").status_code == 400


def test_a_new_tariff_does_not_change_old_accruals(tariffs, officer):
    old = accruals.accrue("kapi_levhasi", 1, user=officer, day=days_ago(10))
    Tarife.objects.filter(kalem="kapi_levhasi").update(gecerlilik_bitis=days_ago(1))
    Tarife.objects.create(kalem="kapi_levhasi", birim_fiyat=Decimal("55.00"), gecerlilik_baslangic=days_ago(0),
                          meclis_karar_no="2025/9")
    assert accruals.accrue("kapi_levhasi", 1, user=officer).tutar == Decimal("55.00")
    old.refresh_from_db()
    assert old.tutar == Decimal("40.00")


def test_overlapping_tariff_and_bad_quantity_are_refused(tariffs, officer):
    overlapping = Tarife(kalem="adres_karti", birim_fiyat=Decimal("1"), gecerlilik_baslangic=days_ago(3),
                         meclis_karar_no="x")
    with pytest.raises(ValidationError, match="çakışan"):
        overlapping.full_clean()
    with pytest.raises(InvalidInput):
        accruals.accrue("kapi_levhasi", 0, user=officer)


def test_accrual_report_is_not_public(client, clerk):
    assert client.get("/numarataj/tahakkuk/").status_code == 404
    client.force_login(clerk)
    assert client.get("/numarataj/tahakkuk/").status_code == 404
    assert client.get("/api/numarataj/tahakkuk/").status_code == 403


# --- address-determination requests -------------------------------------------------------------

@pytest.fixture
def talep(officer) -> AdresTespitTalebi:
    return requests.register(kurum="Ankara 5. İcra Müdürlüğü", kurum_belge_no="2025/4411 Esas",
                             kurum_belge_tarihi=days_ago(3), adres_metni="İstiklal Mah. Çiçek Sok. No:15 D:3",
                             kisi_adi="Mehmet Öztürk", kisi_tckn=TCKN, user=officer)


def test_request_is_found_answered_and_the_letter_has_the_address(talep, unit, officer, tmp_path):
    found = requests.search(mahalle="istiklal", csbm="ÇİÇEK", kapi_no="15", ic_kapi_no="3")
    assert [c.bagimsiz_bolum for c in found] == [unit]
    assert [c.adres for c in requests.search(csbm="çiçek sokak", kapi_no="15")] == [unit.adres]
    get_index(force=True)
    suggested, why = requests.suggest(talep)
    assert why is None and suggested[0].adres == unit.adres
    with pytest.raises(Conflict, match="yanıtlanmadı"):
        requests.reply_letter_pdf(talep)
    talep = requests.answer(talep, user=officer, yanit_sayi="E-12345", bagimsiz_bolum=unit)
    assert talep.durum == "bulundu" and talep.bulunan_adres == unit.adres
    text = pdf_text(requests.reply_letter_pdf(talep), tmp_path)
    for expected in ("Sayı : E-12345", "Konu : Adres tespiti", "ANKARA 5. İCRA MÜDÜRLÜĞÜNE",
                     "2025/4411 Esas", "İstiklal Mahallesi", "Çiçek Sokak", "1234567890", "DENEME BELEDİYE"):
        assert expected in text, expected
    with pytest.raises(Conflict, match="zaten yanıtlandı"):
        requests.answer(talep, user=officer, yanit_sayi="E-2", yanit_notu="tekrar")


def test_not_found_needs_a_reason_and_the_letter_says_so(talep, officer, tmp_path):
    with pytest.raises(InvalidInput, match="nedenini"):
        requests.answer(talep, user=officer, yanit_sayi="E-1")
    talep = requests.answer(talep, user=officer, yanit_sayi="E-1", yanit_notu="Mahallede böyle bir kapı yok.")
    text = pdf_text(requests.reply_letter_pdf(talep), tmp_path)
    assert "bulunamamıştır" in text and "böyle bir kapı yok" in text


@pytest.mark.parametrize(("fields", "message"), [
    ({"kisi_tckn": "12345678901"}, "kimlik"),
    ({"kurum": "  "}, "Kurum gerekli"),
    ({"kurum_belge_tarihi": dt.date.today() + dt.timedelta(days=3)}, "geçmiş tarih"),
])
def test_bad_request_input_is_refused(officer, fields, message):
    data = {"kurum": "SGK", "kurum_belge_no": "1", "kurum_belge_tarihi": days_ago(1), "adres_metni": "x"} | fields
    with pytest.raises(InvalidInput, match=message):
        requests.register(user=officer, **data)


def test_personal_data_is_for_officers_only(client, talep, officer, clerk):
    assert client.get("/api/numarataj/tespit/").status_code == 401
    assert client.get(f"/numarataj/tespit/{talep.pk}/").status_code == 404
    client.force_login(clerk)
    rows = client.get("/api/numarataj/tespit/").json()["talepler"]
    assert rows[0]["kurum"] == "Ankara 5. İcra Müdürlüğü"
    assert "kisi_adi" not in rows[0] and "kisi_tckn" not in rows[0]
    one = client.get(f"/api/numarataj/tespit/{talep.pk}/").content.decode()
    assert "Mehmet" not in one and TCKN not in one
    for url in ("/numarataj/tespit/", f"/numarataj/tespit/{talep.pk}/", "/admin/numarataj/adrestespittalebi/",
                f"/admin/numarataj/adrestespittalebi/{talep.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Mehmet" not in page.content.decode() and TCKN not in page.content.decode(), url
    assert client.get(f"/numarataj/tespit/{talep.pk}/yanit.pdf").status_code == 404
    assert client.get(f"/admin/numarataj/adrestespittalebi/?q={TCKN}").content.decode().count("2025/4411") == 0
    assert client.post("/api/numarataj/tespit/", {}, content_type="application/json").status_code == 403
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get("/api/numarataj/tespit/").json()["talepler"][0]["kisi_tckn"] == TCKN
    for url in (f"/numarataj/tespit/{talep.pk}/", f"/admin/numarataj/adrestespittalebi/{talep.pk}/change/"):
        assert "Mehmet Öztürk" in client.get(url).content.decode(), url


def test_officer_registers_and_answers_over_http(client, unit, officer):
    client.force_login(officer)
    r = client.post("/api/numarataj/tespit/", {"kurum": "Çankaya Kaymakamlığı", "kurum_belge_no": "E-9",
                    "kurum_belge_tarihi": str(days_ago(2)), "adres_metni": "Çiçek Sokak 15"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["konu"] == "Adres tespiti"
    pk = r.json()["id"]
    found = client.get("/api/numarataj/tespit/ara/", {"csbm": "çiçek", "kapi_no": "15"}).json()["sonuclar"]
    assert [f["adres"] for f in found] == [unit.adres_id]
    answer = client.post(f"/api/numarataj/tespit/{pk}/yanit/", {"yanit_sayi": "E-77", "adres": unit.adres_id},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["durum"] == "bulundu"
    page = client.get(f"/numarataj/tespit/{pk}/")
    assert "Çiçek Sokak" in page.content.decode()
    letter = client.get(f"/numarataj/tespit/{pk}/yanit.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
