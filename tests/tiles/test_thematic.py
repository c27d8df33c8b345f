"""Thematic maps: aggregation, classes, the registry layer, and the PNG/PDF read back by poppler."""

import subprocess

import numpy as np
import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from PIL import Image

from geo.errors import InvalidInput
from geo.models import Feature, Layer
from tiles.thematic import aggregate, breaks, make_thematic, metric_for
from tiles.thematic_print import export

from .conftest import live_data


def _non_blank(path) -> None:
    pixels = np.asarray(Image.open(path).convert("L"))
    assert pixels.std() > 10 and (pixels < 250).mean() > 0.1  # drawn, not an empty page


@pytest.mark.django_db
def test_aggregation_per_mahalle_and_grid(district):
    by_mahalle = {u.name: u.value for u in aggregate(metric_for("yapi_count"), "mahalle")}
    assert by_mahalle == {"Alfa": 24, "Beta": 12}
    floors = {u.name: u.value for u in aggregate(metric_for("kat_toplam"), "mahalle")}
    assert floors == {"Alfa": 6 * (1 + 2 + 3 + 4), "Beta": 12 * 8}
    assert {u.name: u.value for u in aggregate(metric_for("bagimsiz_bolum"), "mahalle")} == {"Alfa": 18, "Beta": 0}
    cells = aggregate(metric_for("yapi_count"), "grid", cell_m=250)
    assert sum(u.value for u in cells) == 36 and all(u.value > 0 for u in cells)
    parks = aggregate(metric_for("layer:parklar:alan_m2"), "mahalle")
    assert {u.name: u.value for u in parks} == {"Alfa": 0, "Beta": 25600}
    with pytest.raises(InvalidInput):
        metric_for("yok_boyle")


def test_breaks():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert breaks(values, "equal") == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])
    assert breaks(values, "quantile") == [2, 4, 6, 8, 10]
    assert breaks([5, 5, 5], "quantile") == [5]  # repeated values: fewer classes, never empty ones


@live_data
def test_command_writes_layer_png_and_pdf(district, tmp_path):
    png, pdf = tmp_path / "harita.png", tmp_path / "harita.pdf"
    call_command("thematic_map", metric="kat_toplam", by="mahalle", title="Mahallelere göre kat toplamı",
                 method="equal", png=str(png), pdf=str(pdf))
    layer = Layer.objects.get(slug="tematik-kat-toplam-mahalle")
    assert layer.title_tr == "Mahallelere göre kat toplamı" and layer.access_level == "internal"
    classes = layer.style["classes"]
    assert classes["property"] == "sinif" and len(classes["values"]) == 5
    rows = {f.properties["ad"]: f.properties for f in Feature.objects.filter(layer=layer)}
    assert rows["Alfa"]["deger"] == 60 and rows["Beta"]["deger"] == 96 and rows["Beta"]["sinif"] == 5
    _non_blank(png)
    assert Image.open(png).size == (1754, 1240)  # A4 landscape at 150 dpi
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(tmp_path / "sayfa")], check=True)
    _non_blank(tmp_path / "sayfa.png")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mahallelere göre kat toplamı" in text
    assert "Lejant" in text and "60 – 67,2" in text and "88,8 – 96" in text
    assert "Veri kaynağı" in text and "1:" in text


@live_data
def test_grid_map_of_a_feature_layer(district, tmp_path):
    tm = make_thematic("layer:okullar", by="grid", cell_m=300, public=True, ramp="mavi")
    assert tm.layer.access_level == "public" and len(tm.units) == 2
    out = export(tm, tmp_path / "g.png", tmp_path / "g.pdf")
    assert out["pdf"].startswith(b"%PDF") and out["png"].startswith(b"\x89PNG")


@live_data
def test_staff_page_makes_a_map(district):
    anonymous = Client().get("/tematik-harita/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    outsider = User.objects.create_user("vatandas", password="pw")
    c = Client()
    c.force_login(outsider)
    assert c.get("/tematik-harita/").status_code == 403
    officer = User.objects.create_user("cbs", password="pw")
    officer.groups.add(Group.objects.get(name="CBS Editörü"))
    c.force_login(officer)
    page = c.get("/tematik-harita/")
    assert page.status_code == 200 and "Yapı sayısı" in page.content.decode()
    made = c.post("/tematik-harita/", {"metric": "yapi_count", "by": "mahalle", "method": "quantile",
                                       "ramp": "yesil", "cell": "250", "title": "Yapı yoğunluğu"})
    assert made.status_code == 302
    listing = c.get(made["Location"]).content.decode()
    assert "Yapı yoğunluğu" in listing and "tematik-yapi-count-mahalle.pdf" in listing
    pdf = c.get("/tematik-harita/tematik-yapi-count-mahalle.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert Client().get("/tematik-harita/tematik-yapi-count-mahalle.png").status_code == 403  # internal layer
    bad = c.post("/tematik-harita/", {"metric": "yok", "by": "mahalle", "method": "quantile", "ramp": "yesil",
                                      "cell": "250"})
    assert bad.status_code == 400 and "Bilinmeyen ölçü" in bad.content.decode()
