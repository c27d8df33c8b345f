"""Register import: a MAKS-style file set (tests/numarataj/register_files.py) through a suggested
profile — dry run, commit, re-import, corrected re-import, broken variants refused."""

import io
import zipfile
from pathlib import Path

import pytest
import shapely
import yaml
from django.core.management import call_command

from geo.models import Change
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, KapiNoGecmisi, Mahalle, RegisterProfile, Yapi
from numarataj.register_io import profiles
from numarataj.register_io.commit import RegisterImportRefused, import_register
from numarataj.register_io.sources import open_layer_set
from numarataj.register_io.validate import ImportCancelled

from .register_files import district, maks_tables, write_maks_set

pytestmark = pytest.mark.django_db
MODELS = (Il, Ilce, Mahalle, Csbm, Yapi, Adres, BagimsizBolum)


@pytest.fixture(scope="module")
def maks_set(tmp_path_factory) -> Path:
    return write_maks_set(tmp_path_factory.mktemp("maks") / "set", maks_tables(district()))


def suggested(path: Path) -> profiles.Profile:
    with open_layer_set(path) as layers:
        return profiles.suggest(layers.columns())


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*MODELS, Change, KapiNoGecmisi)}


def expected_sizes() -> dict[str, int]:
    d = district()
    return {"mahalle": len(d.mahalleler), "csbm": len(d.csbmler), "yapi": len(d.yapilar), "adres": len(d.adresler),
            "bagimsiz_bolum": sum(len(a.bolumler) for a in d.adresler)}


def test_suggested_profile_reads_the_turkish_names(maks_set):
    profile = suggested(maks_set)
    assert {k: m.source for k, m in profile.layers.items()} == {
        "mahalle": "MAHALLE", "csbm": "YOL", "yapi": "YAPI", "adres": "KAPI", "bagimsiz_bolum": "BAGIMSIZ_BOLUM"}
    assert profile.layers["mahalle"].fields["kod"] == "MAHALLE_KO"  # a Shapefile cuts MAHALLE_KODU to 10
    assert profile.layers["yapi"].fields["kat_ust"] == "KAT_SAYISI"
    assert profile.layers["bagimsiz_bolum"].fields == {"kod": "ADRES_NO", "kapi_kodu": "UAVT_KODU",
                                                       "ic_kapi_no": "IC_KAPI_NO", "kat": "KAT", "kullanim": "KULLANIM"}
    again = profiles.Profile.from_dict(yaml.safe_load(profile.to_yaml()))
    assert again.as_dict() == profile.as_dict()


def test_dry_run_counts_and_writes_nothing(maks_set):
    report = import_register(maks_set, suggested(maks_set), user=None, dry=True)
    assert {k: (lr.rows, lr.create, lr.update, lr.unchanged, len(lr.refused)) for k, lr in report.layers.items()} == {
        k: (n, n, 0, 0, 0) for k, n in expected_sizes().items()}
    assert report.layers["csbm"].crs == "EPSG:23036" and report.layers["adres"].crs == "EPSG:5255"
    assert any("Windows-1254" in w for w in report.warnings)
    assert report.ilce == "Yenikent/Ankara (yeni / new)" and not report.committed
    assert all(v == 0 for v in counts().values())


def _import(path: Path, **kw):
    return import_register(path, suggested(path), user=None, **kw)


def test_commit_then_the_same_files_change_nothing(maks_set):
    d = district()
    report = _import(maks_set)
    sizes = expected_sizes()
    assert report.committed and Adres.objects.count() == sizes["adres"]
    assert BagimsizBolum.objects.count() == sizes["bagimsiz_bolum"]
    assert {m.ad for m in Mahalle.objects.all()} == {m.ad for m in d.mahalleler}  # Windows-1254 read right
    ilce = Ilce.objects.get()
    assert (ilce.ad, ilce.il.ad, ilce.il.plaka) == ("Yenikent", "Ankara", 6)
    spec = d.csbmler[0]
    street = Csbm.objects.get(uavt_kodu=spec.uavt_kodu)
    assert (street.tur, street.ad, street.numara) == (spec.tur, spec.ad, spec.numara)
    moved = shapely.hausdorff_distance(shapely.from_wkb(bytes(street.geom.wkb)), spec.geom)
    assert moved < 1e-7  # ED50 there and back through the same Türkiye datum shift
    door = d.adresler[10]
    adres = Adres.objects.select_related("csbm", "yapi").get(uavt_kodu=door.uavt_kodu)
    assert (adres.kapi_no, adres.csbm.uavt_kodu) == (door.kapi_no, next(
        s.uavt_kodu for s in d.csbmler if s.key == door.csbm))
    assert adres.mahalle_id == adres.yapi.mahalle_id is not None
    assert {b.adres_kodu for b in adres.bagimsiz_bolumler.all()} == {b.adres_kodu for b in door.bolumler}
    assert Csbm.objects.filter(mahalleler__isnull=True).count() == 0
    written = Change.objects.count()
    assert written == report.changes == sum(sizes.values()) + KapiNoGecmisi.objects.count()

    before = counts()
    again = _import(maks_set)
    assert {k: (lr.create, lr.update, lr.unchanged) for k, lr in again.layers.items()} == {
        k: (0, 0, n) for k, n in sizes.items()}
    assert again.changes == 0 and counts() == before


def test_corrected_file_updates_only_the_changed_rows(maks_set, tmp_path):
    _import(maks_set)
    tables = maks_tables(district())
    tables["YOL"].loc[3, "YOL_ADI"] = "Şehit Öğretmen"
    street_code = tables["YOL"].loc[3, "CSBM_KODU"]
    tables["KAPI"].loc[7, "KAPI_NO"] = "901"
    door_code = tables["KAPI"].loc[7, "UAVT_KODU"]
    tables["BAGIMSIZ_BOLUM"].loc[0, "KAT"] = 7
    corrected = write_maks_set(tmp_path / "fixed", tables)
    before = Change.objects.count()

    report = _import(corrected)
    assert {k: (lr.create, lr.update) for k, lr in report.layers.items()} == {
        "mahalle": (0, 0), "csbm": (0, 1), "yapi": (0, 0), "adres": (0, 1), "bagimsiz_bolum": (0, 1)}
    new = Change.objects.filter(pk__gt=0).order_by("-id")[:Change.objects.count() - before]
    assert sorted(c.model for c in new) == ["numarataj.Adres", "numarataj.BagimsizBolum", "numarataj.Csbm",
                                            "numarataj.KapiNoGecmisi", "numarataj.KapiNoGecmisi"]
    assert Csbm.objects.get(uavt_kodu=street_code).ad == "Şehit Öğretmen"
    adres = Adres.objects.get(uavt_kodu=door_code)
    assert adres.kapi_no == "901"
    periods = KapiNoGecmisi.objects.filter(adres=adres).order_by("id")
    assert [(p.kapi_no, p.gecerli_bitis is None) for p in periods][-2:] == [
        (district().adresler[7].kapi_no, False), ("901", True)]
    assert report.changes == 5


def _break_missing_csbm(tables):
    tables["KAPI"].loc[3, "CSBM_KODU"] = "0000000"
    return {}, ("adres", 4, "CSBM_KODU=0000000")


def _break_duplicate(tables):
    tables["YAPI"].loc[7, "YAPI_KODU"] = tables["YAPI"].loc[2, "YAPI_KODU"]
    return {}, ("yapi", 8, "birden çok satırda (satır 3)")


def _break_wrong_crs(tables):
    return {"labelled": {"KAPI": 4326}}, ("adres", 1, "Türkiye dışında")  # TM metres labelled as lon/lat


def _break_outside(tables):
    tables["YAPI"].loc[5, "geometry"] = shapely.affinity.translate(tables["YAPI"].loc[5, "geometry"], 0.3)
    return {}, ("yapi", 6, "ilçe sınırının dışında")


def _break_encoding(tables):
    return {"encoding": "utf-8"}, ("mahalle", 1, "karakter kodlaması")  # UTF-8 without .cpg


@pytest.mark.parametrize("breaker", [_break_missing_csbm, _break_duplicate, _break_wrong_crs, _break_outside,
                                     _break_encoding], ids=lambda f: f.__name__[7:])
def test_broken_files_are_refused_with_the_row_named(breaker, tmp_path):
    tables = maks_tables(district())
    options, (layer, row, words) = breaker(tables)
    broken = write_maks_set(tmp_path / "broken", tables, **options)
    with pytest.raises(RegisterImportRefused) as e:
        _import(broken)
    notes = [n for n in e.value.report.refused if n.layer == layer and n.row == row]
    assert notes and words in notes[0].reason, e.value.report.refused[:3]
    assert f"{layer} satır {row}" in e.value.message
    assert all(v == 0 for v in counts().values())


def test_skip_invalid_writes_the_rest(tmp_path):
    tables = maks_tables(district())
    _break_missing_csbm(tables)
    lost = tables["KAPI"].loc[3, "UAVT_KODU"]
    report = _import(write_maks_set(tmp_path / "partly", tables), skip_invalid=True)
    assert report.committed
    assert not Adres.objects.filter(uavt_kodu=lost).exists()
    units = len(district().adresler[3].bolumler)  # their door was refused: so are they
    assert len(report.layers["bagimsiz_bolum"].refused) == units
    assert Adres.objects.count() == expected_sizes()["adres"] - 1


def test_maks_violations_are_reported_not_refused(tmp_path):
    tables = maks_tables(district())
    kapi = tables["KAPI"]
    street = kapi["CSBM_KODU"].value_counts().index[0]
    i, j = kapi.index[kapi["CSBM_KODU"] == street][:2]
    kapi.loc[j, "KAPI_NO"] = kapi.loc[i, "KAPI_NO"]  # one number twice on a street
    report = _import(write_maks_set(tmp_path / "twice", tables), dry=True)
    assert not report.refused
    flagged = {(v["rule"], v["row"], v["code"]) for v in report.violations}
    assert {("adres_no_tekil", i + 1, kapi.loc[i, "UAVT_KODU"]), ("adres_no_tekil", j + 1, kapi.loc[j, "UAVT_KODU"])} \
        <= flagged


def test_progress_is_reported_and_a_cancel_mid_write_leaves_nothing(maks_set):
    seen: list[tuple[int, int]] = []
    dry_total = 2 * len(expected_sizes())

    def cancelled() -> bool:  # once the first layer has been written
        return any(total < dry_total for _done, total in seen)

    with pytest.raises(ImportCancelled):
        _import(maks_set, progress=lambda done, total: seen.append((done, total)), cancelled=cancelled)
    assert [d for d, t in seen if t == dry_total] == list(range(1, dry_total + 1))
    assert seen[-1] == (1, len(expected_sizes()))  # the commit had begun
    assert all(v == 0 for v in counts().values())


def test_commands_with_the_municipalitys_yaml_profile_there_and_back(maks_set, tmp_path):
    profile_file = tmp_path / "belediye.yaml"
    profile_file.write_text(suggested(maks_set).to_yaml(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_register", str(maks_set), "--profile", str(profile_file), "--dry-run", stdout=out)
    assert "hiçbir şey yazılmadı" in out.getvalue() and not Adres.objects.exists()
    call_command("import_register", str(maks_set), "--profile", str(profile_file), "--save-profile", "belediye",
                 stdout=out)
    assert Adres.objects.count() == expected_sizes()["adres"] and RegisterProfile.objects.filter(name="belediye")

    call_command("export_register", str(tmp_path / "geri"), "--format", "shp", "--profile", "belediye", stdout=out)
    with zipfile.ZipFile(tmp_path / "geri.zip") as z:  # the municipality's own layer names come back
        assert {"YOL.shp", "KAPI.shp", "MAHALLE.shp", "BAGIMSIZ_BOLUM.dbf", "manifest.json"} <= set(z.namelist())
    report = import_register(tmp_path / "geri.zip", profiles.load("belediye"), user=None, dry=True)
    assert not report.refused
    assert {k: (lr.create, lr.update) for k, lr in report.layers.items()} == {k: (0, 0) for k in expected_sizes()}
