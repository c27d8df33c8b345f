"""build_demo: a deterministic district that reads like a real Turkish one."""

import re

import pytest
import shapely
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from data.generator import build_district
from geo.models import AccessLevel, Feature, Layer
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle, NumberingPlan, PlanItem, Yapi
from numarataj.models.documents import AdresKarti, AdresTespitTalebi, Tahakkuk, TarifeKalemi
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services.accruals import tariff_on
from rehber.models import Kiosk
from smartcity.models import Asset

OSM_SAMPLE_BOX = shapely.box(32.80, 39.92, 32.84, 39.94)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Il, Ilce, Mahalle, Csbm, Yapi, Adres, BagimsizBolum, Feature,
                                                    Asset, Layer)}


def test_same_seed_gives_the_same_district_in_memory() -> None:
    a, b, c = build_district(5), build_district(5), build_district(6)
    assert [y.geom.wkb for y in a.yapilar] == [y.geom.wkb for y in b.yapilar]
    assert [(s.tur, s.ad, s.numara) for s in a.csbmler] == [(s.tur, s.ad, s.numara) for s in b.csbmler]
    assert a.yapilar[0].geom.wkb != c.yapilar[0].geom.wkb


@pytest.mark.django_db
def test_demo_register_counts_names_and_geometry() -> None:
    call_command("build_demo", "--replace")
    assert Il.objects.get().plaka == 6
    ilce = Ilce.objects.get()
    assert (ilce.ad, ilce.il.ad) == ("Yenikent", "Ankara")

    mahalleler = Mahalle.objects.all()
    assert mahalleler.count() >= 4
    assert {"Cumhuriyet", "Yıldız", "Bahçelievler", "Esentepe"} <= {m.ad for m in mahalleler}
    assert all(re.fullmatch(r"\d{5}", m.uavt_kodu) and m.geom.geom_type == "MultiPolygon" for m in mahalleler)

    assert Csbm.objects.count() >= 80
    assert set(Csbm.objects.values_list("tur", flat=True)) >= {"cadde", "sokak", "bulvar", "meydan"}
    names = {c.tam_ad for c in Csbm.objects.all()}
    assert {"Cumhuriyet Bulvarı", "Atatürk Caddesi", "Gazi Meydanı"} <= names
    assert any(re.fullmatch(r"\d{4}\. Sokak", n) for n in names)
    assert not Csbm.objects.filter(Q(ad="", numara__isnull=True) | (~Q(ad="") & Q(numara__isnull=False))).exists()
    assert not Csbm.objects.filter(tur="meydan", numara__isnull=False).exists()
    assert not Csbm.objects.annotate(n=Count("mahalleler")).filter(n=0).exists()

    district = shapely.from_wkb(bytes(ilce.geom.wkb))
    assert district.bounds[0] > 32.5 and district.bounds[2] < 33.2 and 39.7 < district.bounds[1] < 40.1
    assert not district.intersects(OSM_SAMPLE_BOX)


@pytest.mark.django_db
def test_demo_buildings_doors_and_flats() -> None:
    call_command("build_demo", "--replace")
    yapilar = Yapi.objects.select_related("mahalle")
    assert yapilar.count() >= 1000
    assert not yapilar.filter(mahalle__isnull=True).exists()
    for y in yapilar:  # containment: the mahalle holds the building
        footprint = shapely.from_wkb(bytes(y.geom.wkb))
        assert shapely.from_wkb(bytes(y.mahalle.geom.wkb)).contains(footprint.point_on_surface())
    floors = set(yapilar.values_list("kat_ust", flat=True))
    assert min(floors) >= 1 and max(floors) <= 12 and len(floors) >= 8
    assert yapilar.filter(kat_alt__gt=0).exists()
    assert set(yapilar.values_list("kullanim", flat=True)) >= {"konut", "karma", "isyeri", "egitim", "saglik", "ibadet"}

    adresler = Adres.objects.all()
    assert adresler.count() == yapilar.count()
    assert not adresler.filter(Q(csbm__isnull=True) | Q(yapi__isnull=True) | Q(mahalle__isnull=True)).exists()
    for taraf, kapi_no in adresler.values_list("taraf", "kapi_no"):
        assert int(kapi_no) % 2 == (1 if taraf == Adres.Taraf.SOL else 0)
    assert not adresler.values("csbm", "kapi_no").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not adresler.annotate(n=Count("bagimsiz_bolumler")).filter(n=0).exists()
    codes = list(BagimsizBolum.objects.values_list("adres_kodu", flat=True))
    assert all(re.fullmatch(r"\d{10}", c) for c in codes) and len(set(codes)) == len(codes)


@pytest.mark.django_db
def test_demo_layers_places_and_assets() -> None:
    call_command("build_demo", "--replace")
    sources = dict(Layer.objects.values_list("slug", "source"))
    assert {sources[s] for s in ("mahalleler", "csbm", "yapilar", "adresler")} == {
        "numarataj.Mahalle", "numarataj.Csbm", "numarataj.Yapi", "numarataj.Adres"}
    for layer in Layer.objects.all():
        assert layer.title_tr and layer.title_en and layer.abstract and layer.keywords and layer.lineage
        assert layer.responsible_party == "Yenikent Belediyesi CBS Müdürlüğü" and layer.licence
        assert layer.data_updated_at is not None
        rows = Feature.objects.filter(layer=layer)
        for feature in rows:
            assert all(feature.properties.get(a) for a in layer.required_attributes()), (layer.slug, feature.properties)
    afet = Layer.objects.filter(group__slug="afet-bilgi-bankasi")
    assert set(afet.values_list("slug", flat=True)) == {"afet-toplanma-alanlari", "afet-riskli-yapilar"}
    assert set(afet.values_list("access_level", flat=True)) == {AccessLevel.AGENCY}
    assert afet.first().group.title_tr == "Afet Bilgi Bankası"
    # outside the Afet group only the asset kinds' layers are not public (smartcity.layers: by the kind)
    assert not Layer.objects.filter(group__isnull=True).exclude(access_level=AccessLevel.PUBLIC).exclude(
        source="smartcity.Asset").exists()

    per_layer = dict(Feature.objects.values_list("layer__slug").annotate(n=Count("id")))
    for slug in ("parklar", "okullar", "eczaneler", "saglik-tesisleri", "ibadet-yerleri", "kutuphaneler",
                 "afet-toplanma-alanlari", "afet-riskli-yapilar", "otobus-duraklari"):
        assert per_layer.get(slug, 0) >= 1, slug
    assert {f.geom.geom_type for f in Feature.objects.filter(layer__slug="parklar")} == {"Polygon"}
    assert {f.geom.geom_type for f in Feature.objects.filter(layer__slug="eczaneler")} == {"Point"}

    kinds = dict(Asset.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds["OffStreetParking"] >= 4 and kinds["TrafficSignal"] >= 8
    assert kinds["Camera"] >= 4 and kinds["TouristCamera"] >= 1  # traffic cameras at junctions, one over the square
    assert kinds["WasteContainer"] >= 100
    for park in Asset.objects.filter(kind="OffStreetParking"):
        a = park.attributes
        assert a["totalSpotNumber"] > 0 and 0 <= a["availableSpotNumber"] <= a["totalSpotNumber"]
    signal = Asset.objects.filter(kind="TrafficSignal").exclude(attributes__linkedCameras=[]).first()
    assert signal is not None and " / " in signal.attributes["intersection"]


@pytest.mark.django_db
def test_same_seed_same_rows_and_replace_is_idempotent() -> None:
    call_command("build_demo", "--replace", "--seed", "3")
    first = Yapi.objects.order_by("pk").first()
    snapshot, geom, name = _counts(), first.geom.wkt, (first.ad, first.kat_ust, first.kullanim)
    call_command("build_demo", "--replace", "--seed", "3")
    again = Yapi.objects.order_by("pk").first()
    assert _counts() == snapshot
    assert (again.geom.wkt, (again.ad, again.kat_ust, again.kullanim)) == (geom, name)
    assert Csbm.objects.values("tur", "ad", "numara").annotate(n=Count("id")).filter(n__gt=1).count() == 0


@pytest.mark.django_db
def test_build_demo_refuses_to_mix_with_an_existing_register() -> None:
    call_command("build_demo", "--replace")
    before = _counts()
    with pytest.raises(CommandError, match="--replace"):
        call_command("build_demo", "--seed", "2")
    assert _counts() == before


@pytest.mark.django_db
def test_the_demo_has_a_kiosk_on_its_main_square(client) -> None:
    call_command("build_demo", "--replace")
    call_command("build_demo", "--replace")  # a rebuild keeps the one kiosk, where it stands
    kiosk = Kiosk.objects.get()
    assert kiosk.kiosk_id == "meydan" and kiosk.active
    square = Csbm.objects.get(tur="meydan", ad="Gazi")
    assert square.geom.centroid.distance(kiosk.location) < 0.0002  # ~20 m: at the square's centre
    page = client.get("/kiosk/meydan/")
    assert page.status_code == 200 and "Gazi Meydanı kiosku" in page.content.decode()
    guide = client.get("/rehber/").content.decode()
    assert 'href="/kiosk/meydan/"' in guide and 'data-testid="kiosk-link"' in guide


@pytest.mark.django_db
def test_the_demo_carries_what_each_numarataj_page_needs(client) -> None:
    call_command("build_demo", "--replace")
    call_command("build_demo", "--replace")  # a rebuild does not pile up requests or accruals
    today = timezone.localdate()
    for kalem in TarifeKalemi.values:  # a charge of every item finds its council-approved tariff
        assert tariff_on(kalem, today).birim_fiyat > 0
    D = AdlandirmaKarari.Durum
    assert set(AdlandirmaKarari.objects.values_list("durum", flat=True)) >= {
        D.ONERI, D.KOMISYON, D.MECLIS, D.ONAYLANDI, D.YURURLUKTE}
    waiting = AdlandirmaKarari.objects.get(durum=D.ONAYLANDI)
    assert waiting.yururluk_tarihi > today and waiting.meclis_uye_tamsayisi and waiting.onay_belge_no
    renamed = AdlandirmaKarari.objects.get(durum=D.YURURLUKTE)
    assert renamed.csbm.ad == renamed.yeni_ad and renamed.csbm.numara is None
    assert NumberingPlan.objects.filter(durum=NumberingPlan.Durum.ONERILDI).count() == 1
    assert PlanItem.objects.filter(plan__durum=NumberingPlan.Durum.ONERILDI).exists()
    talepler = AdresTespitTalebi.objects.all()
    assert sorted(talepler.values_list("durum", flat=True)) == ["bekliyor", "bulundu"]
    assert talepler.get(durum="bulundu").bulunan_adres is not None
    issued = AdresKarti.objects.select_related("tahakkuk")
    assert issued.count() == 3 and all(c.tahakkuk.tutar > 0 for c in issued)
    assert Tahakkuk.objects.count() == 3

    call_command("ensure_demo_users")  # as `make demo` does: the officer issues a card at the counter
    client.force_login(User.objects.get(username="numarataj"))
    bb = BagimsizBolum.objects.exclude(kartlar__isnull=False).order_by("pk").first()
    response = client.post("/api/numarataj/kartlar/", {"adres_kodu": bb.adres_kodu})
    assert response.status_code == 201, response.content.decode()[:500]
    card = AdresKarti.objects.get(bagimsiz_bolum=bb)
    assert card.tahakkuk.tarife.kalem == TarifeKalemi.ADRES_KARTI
    assert client.get(f"/numarataj/kart/{card.kod}.pdf").status_code == 200
