"""Street naming from the browser's forms, over HTTP: the proposal page, the council and governor
steps with their PDF documents, the quorum and PDF refusals shown on the form, and the list of
what a rename in effect makes the office reissue (doors, plates, cards)."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from numarataj.models import Adres, BagimsizBolum, Csbm
from numarataj.models.documents import AdresKarti, Tarife
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import cards, naming

D = AdlandirmaKarari.Durum


def days_ago(n: int) -> str:
    return (naming.today() - dt.timedelta(days=n)).isoformat()


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF, as a scanned decision would be."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def upload(content: bytes, name: str = "karar.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lale(make_csbm, mahalle, make_yapi, pt) -> Csbm:
    """'Lale Sokak' with three doors (one unit holds a card), and 'Gül Sokak' with a door of its own."""
    street = make_csbm("Lale", "sokak", [(100, 200), (400, 200)])
    for i, (x, y, no, taraf) in enumerate([(150, 215, "1", "sol"), (250, 215, "3", "sol"), (200, 185, "2", "sag")]):
        yapi = make_yapi(x, y + (10 if y > 200 else -10))
        door = Adres.objects.create(csbm=street, mahalle=mahalle, yapi=yapi, kapi_no=no, taraf=taraf, geom=pt(x, y))
        BagimsizBolum.objects.create(adres=door, ic_kapi_no="1", kat=0, adres_kodu=f"123456789{i}")
    gul = make_csbm("Gül", "sokak", [(600, 100), (600, 400)])
    Adres.objects.create(csbm=gul, mahalle=mahalle, yapi=make_yapi(615, 250), kapi_no="1", taraf="sol",
                         geom=pt(606, 250))
    return street


@pytest.fixture
def tariff(db) -> Tarife:
    return Tarife.objects.create(kalem="adres_karti", birim_fiyat=Decimal("150.00"),
                                 gecerlilik_baslangic=naming.today() - dt.timedelta(days=400),
                                 meclis_karar_no="2024/112")


@pytest.fixture
def web(officer) -> Client:
    c = Client()
    c.force_login(officer)
    return c


def propose_rename(web: Client, csbm: Csbm, **extra) -> AdlandirmaKarari:
    data = {"tur": "ad_degisikligi", "csbm": csbm.pk, "yeni_tur": "cadde", "yeni_ad": "İstiklal",
            "oneren": "Muhtarlık", "gerekce": "Halkın talebi", "oneri_tarihi": days_ago(40)} | extra
    response = web.post("/numarataj/kararlar/yeni/", data)
    assert response.status_code == 302, response.content.decode()
    return AdlandirmaKarari.objects.get(csbm=csbm)


def commission(web: Client, karar: AdlandirmaKarari) -> None:
    response = web.post(f"/numarataj/kararlar/{karar.pk}/komisyon/",
                        {"tarih": days_ago(30), "rapor_no": "K-12", "gorus": "olumlu"})
    assert response.status_code == 302


def council(web: Client, karar: AdlandirmaKarari, kabul: int, document: bytes):
    return web.post(f"/numarataj/kararlar/{karar.pk}/meclis/", {
        "tarih": days_ago(20), "karar_no": "2025/88", "kabul": kabul, "ret": 31 - kabul - 1, "cekimser": 1,
        "tamsayi": 31, "belge": upload(document)})


def governor(web: Client, karar: AdlandirmaKarari, document: bytes, yururluk: str):
    return web.post(f"/numarataj/kararlar/{karar.pk}/onay/", {
        "makam": "valilik", "tarih": days_ago(10), "belge_no": "E-555", "yururluk_tarihi": yururluk,
        "belge": upload(document, "valilik.pdf")})


@pytest.fixture
def renamed(web, lale, media) -> AdlandirmaKarari:
    karar = propose_rename(web, lale)
    commission(web, karar)
    assert council(web, karar, 21, pdf_bytes("Meclis karari 2025/88")).status_code == 302
    assert governor(web, karar, pdf_bytes("Valilik onayi E-555"), naming.today().isoformat()).status_code == 302
    karar.refresh_from_db()
    return karar


# --- the whole process -------------------------------------------------------------------------

def test_proposal_page_shows_the_map_form_to_officers_only(web, lale, client):
    page = web.get("/numarataj/kararlar/yeni/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="naming-map"' in body and "map-base.js" in body and 'name="csbm"' in body
    assert page.context["config"]["streets"] == "/api/numarataj/adlandirma/csbm/"
    assert client.get("/numarataj/kararlar/yeni/").status_code == 302  # anonymous: to the login page
    streets = web.get("/api/numarataj/adlandirma/csbm/").json()
    assert {f["properties"]["ad"] for f in streets["features"]} == {"Lale Sokak", "Gül Sokak"}
    assert client.get("/api/numarataj/adlandirma/csbm/").status_code == 401


def test_rename_goes_from_proposal_to_effect_with_its_documents(web, lale, media, client):
    karar = propose_rename(web, lale)
    assert karar.durum == D.ONERI and karar.eski_tam_ad == "Lale Sokak"
    commission(web, karar)
    council_pdf, governor_pdf = pdf_bytes("Meclis karari 2025/88"), pdf_bytes("Valilik onayi E-555")
    assert council(web, karar, 21, council_pdf).status_code == 302  # 21 of 31: two thirds reached
    karar.refresh_from_db()
    assert (karar.durum, karar.oy_kabul, karar.meclis_uye_tamsayisi) == (D.MECLIS, 21, 31)

    assert governor(web, karar, governor_pdf, naming.today().isoformat()).status_code == 302
    karar.refresh_from_db()
    lale.refresh_from_db()
    assert karar.durum == D.YURURLUKTE and karar.onay_makami == "valilik"
    assert karar.yururluk_tarihi == naming.today()
    assert lale.tam_ad == "İstiklal Caddesi"

    assert web.get(f"/numarataj/kararlar/{karar.pk}/belge/meclis.pdf").content == council_pdf
    assert web.get(f"/numarataj/kararlar/{karar.pk}/belge/onay.pdf").content == governor_pdf
    assert client.get(f"/numarataj/kararlar/{karar.pk}/belge/onay.pdf").status_code == 404  # staff only
    page = web.get(f"/numarataj/kararlar/{karar.pk}/").content.decode()
    assert 'data-testid="belge-meclis"' in page and 'data-testid="yeniden-basim-link"' in page


def test_an_effect_date_ahead_waits_and_the_early_apply_is_refused(web, lale, media):
    karar = propose_rename(web, lale)
    commission(web, karar)
    council(web, karar, 25, pdf_bytes("Meclis"))
    later = (naming.today() + dt.timedelta(days=3)).isoformat()
    assert governor(web, karar, pdf_bytes("Valilik"), later).status_code == 302
    karar.refresh_from_db()
    assert karar.durum == D.ONAYLANDI
    response = web.post(f"/numarataj/kararlar/{karar.pk}/yururluk/", {})
    assert response.status_code == 400
    assert "henüz gelmedi" in response.content.decode()
    lale.refresh_from_db()
    assert lale.tam_ad == "Lale Sokak"


def test_a_council_vote_short_of_two_thirds_for_a_rename_is_refused_on_the_form(web, lale, media):
    karar = propose_rename(web, lale)
    commission(web, karar)
    response = council(web, karar, 20, pdf_bytes("Meclis karari"))  # 20 × 3 = 60 < 2 × 31
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="adim-hata"' in page
    assert "Yetersiz oy" in page and "en az 21 kabul gerekir, 20 var" in page
    assert 'value="20"' in page  # the officer's numbers are kept on the form
    karar.refresh_from_db()
    assert karar.durum == D.KOMISYON and karar.oy_kabul is None
    assert not (media / "numarataj" / "adlandirma" / str(karar.pk) / "meclis.pdf").exists()


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n not a pdf", b"%PDF-1.4\nbroken, no objects\n%%EOF"])
def test_a_non_pdf_document_is_refused(web, lale, media, content):
    karar = propose_rename(web, lale)
    commission(web, karar)
    response = council(web, karar, 25, content)
    assert response.status_code == 400
    assert "bir PDF belgesi değil" in response.content.decode()
    karar.refresh_from_db()
    assert karar.durum == D.KOMISYON


def test_a_duplicate_name_is_refused_with_the_services_message(web, lale, make_csbm):
    make_csbm("İstiklal", "cadde", [(100, 800), (400, 800)])
    response = web.post("/numarataj/kararlar/yeni/", {
        "tur": "ad_degisikligi", "csbm": lale.pk, "yeni_tur": "cadde", "yeni_ad": "istiklal",
        "oneren": "Muhtarlık", "gerekce": "Halkın talebi"})
    assert response.status_code == 400
    assert "zaten kullanılıyor" in response.content.decode()
    assert not AdlandirmaKarari.objects.exists()


def test_naming_a_new_street_from_a_drawn_centreline(web, ilce, line):
    geom = line([(100, 600), (400, 600)]).geojson
    response = web.post("/numarataj/kararlar/yeni/", {
        "tur": "ad_verme", "ilce": ilce.pk, "geom": geom, "yeni_tur": "sokak", "yeni_numara": 1203,
        "oneren": "İmar Müdürlüğü", "gerekce": "Yeni açılan yol"})
    assert response.status_code == 302, response.content.decode()
    karar = AdlandirmaKarari.objects.get()
    assert (karar.tur, karar.yeni_tam_ad, karar.csbm_id) == ("ad_verme", "1203. Sokak", None)
    assert karar.geom.length > 0


# --- what a rename makes the office reissue ----------------------------------------------------

def test_the_reissue_list_names_exactly_the_doors_of_the_renamed_street(web, renamed, lale):
    doors = set(Adres.objects.filter(csbm=lale).values_list("pk", flat=True))
    assert len(doors) == 3
    page = web.get(f"/numarataj/kararlar/{renamed.pk}/yeniden-basim/")
    assert page.status_code == 200
    assert {d.adres.pk for d in page.context["doors"]} == doors
    rows = list(csv.DictReader(io.StringIO(
        web.get(f"/numarataj/kararlar/{renamed.pk}/yeniden-basim.csv").content.decode("utf-8-sig"))))
    assert {int(r["adres_id"]) for r in rows} == doors
    assert {r["csbm"] for r in rows} == {"İstiklal Caddesi"} and {r["eski_ad"] for r in rows} == {"Lale Sokak"}
    signs = list(csv.DictReader(io.StringIO(
        web.get(f"/numarataj/kararlar/{renamed.pk}/levha.csv").content.decode("utf-8-sig"))))
    assert sorted(s["kapi_no"] for s in signs if s["tur"] == "kapi") == ["1", "2", "3"]
    assert {s["metin"] for s in signs if s["tur"] == "kapi"} == {f"İstiklal Caddesi No: {n}" for n in "123"}
    assert any(s["tur"] == "sokak" and s["metin"].startswith("İstiklal Caddesi (1 → 3)") for s in signs)


def test_no_reissue_list_before_the_rename_is_in_effect(web, lale, media):
    karar = propose_rename(web, lale)
    response = web.get(f"/numarataj/kararlar/{karar.pk}/yeniden-basim/")
    assert response.status_code == 409
    assert "henüz yürürlükte değil" in response.content.decode()


def test_one_click_gives_the_signs_and_new_cards_once(web, lale, tariff, officer, media):
    unit = BagimsizBolum.objects.get(adres__csbm=lale, adres__kapi_no="3")
    old = cards.issue(unit, user=officer)
    assert "Lale Sokak" in old.adres_metni
    karar = propose_rename(web, lale)
    commission(web, karar)
    council(web, karar, 21, pdf_bytes("Meclis"))
    governor(web, karar, pdf_bytes("Valilik"), naming.today().isoformat())
    karar.refresh_from_db()
    page = web.get(f"/numarataj/kararlar/{karar.pk}/yeniden-basim/")
    assert page.context["kart_sayisi"] == 1

    response = web.post(f"/numarataj/kararlar/{karar.pk}/yeniden-basim/paket/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    new = AdresKarti.objects.exclude(pk=old.pk).get()
    assert "İstiklal Caddesi" in new.adres_metni and new.bagimsiz_bolum == unit
    card_pdf = "kartlar/" + cards.display_code(new.kod) + ".pdf"
    assert sorted(bundle.namelist()) == [card_pdf, "levha.csv", "levha.pdf"]
    assert "İstiklal Caddesi" in pdf_text(bundle.read(card_pdf))
    signs = pdf_text(bundle.read("levha.pdf"))
    assert "Lale Sokak → İstiklal Caddesi" in signs and "Kapı numarası levhaları: 3 adet" in signs

    again = web.post(f"/numarataj/kararlar/{karar.pk}/yeniden-basim/paket/")
    assert again.status_code == 200
    assert AdresKarti.objects.count() == 2  # the new card is reused, not issued (and charged) again
    assert web.get(f"/numarataj/kararlar/{karar.pk}/yeniden-basim/").context["kart_sayisi"] == 0


def test_others_cannot_use_the_pages(lale, renamed, db):
    outsider = User.objects.create_user("kurum", password="pw")
    c = Client()
    c.force_login(outsider)
    assert c.get("/numarataj/kararlar/yeni/").status_code == 404
    assert c.get(f"/numarataj/kararlar/{renamed.pk}/yeniden-basim/").status_code == 404
    assert c.post(f"/numarataj/kararlar/{renamed.pk}/yeniden-basim/paket/").status_code == 404
