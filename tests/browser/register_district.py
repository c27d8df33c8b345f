"""A small numarataj district shared by the browser tests of the register office, so the plan page,
the map editor and the officer's end-to-end flow all work on the same ground:

    İlçe "Deneme" = Mahalle "Çamlık", x 0..600 m, y -200..200 m (metres east/north of ORIGIN);
    Lale Sokak walked west to east along y = 0 from x 100 to 500; doors 1 (x 200) and 5 (x 300)
    on its north (left, odd) side, each with its building at y 10..22.

The fixture is offered to every browser test by tests/browser/conftest.py; `register_layers` is a
plain helper because not every test wants the register editable."""

import math
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from django.utils import timezone

from geo.models import Layer, LayerPermission, Right
from numarataj.models import Adres, Csbm, Il, Ilce, Mahalle, Yapi
from numarataj.models.documents import Tarife
from tests.conftest import missing

ORIGIN = (32.70, 39.80)  # lon, lat: the district's south-west corner
M_LAT = 1 / 111_320
M_LON = M_LAT / math.cos(math.radians(ORIGIN[1]))
OFFICE = "Numarataj Memuru"
OFFICER = "cbs1"   # the user tests.browser.test_editor.log_in signs in as
# slug, source, TUCBS theme, geometry family: the register on the map, editable by the office
REGISTER_LAYERS = (("yapilar", "numarataj.Yapi", "BI", "polygon"),
                   ("csbm", "numarataj.Csbm", "UL", "line"),
                   ("adresler", "numarataj.Adres", "AD", "point"))


def xy(x: float, y: float) -> tuple[float, float]:
    """Metres east/north of the origin -> lon/lat (good enough over a few hundred metres)."""
    return ORIGIN[0] + x * M_LON, ORIGIN[1] + y * M_LAT


def box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((*xy(x0, y0), *xy(x1, y1))), srid=4326)


def register_layers(group: Group) -> list[Layer]:
    """The register's layers (internal), with the right to edit their data given to `group`."""
    layers = []
    for slug, source, theme, family in REGISTER_LAYERS:
        layer = Layer.objects.create(slug=slug, title_tr=slug.capitalize(), theme_id=theme, geometry_family=family,
                                     source=source, access_level="internal")
        LayerPermission.objects.create(group=group, layer=layer, right=Right.EDIT_DATA)
        layers.append(layer)
    return layers


@pytest.fixture
def lale_district(kent_catalogue) -> Csbm:
    """Lale Sokak with doors 1 and 5, the tariffs the council approved, the public mahalleler
    layer (where Kent's maps open) and the officer; returns the street."""
    ilce = Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6), ad="Deneme", geom=box(0, -200, 600, 200),
                               yon_merkezi=Point(*xy(-500, 0), srid=4326))
    mahalle = Mahalle.objects.create(ilce=ilce, ad="Çamlık", uavt_kodu="100001", geom=box(0, -200, 600, 200))
    street = Csbm.objects.create(ilce=ilce, tur="sokak", ad="Lale",
                                 geom=MultiLineString(LineString([xy(100, 0), xy(500, 0)]), srid=4326))
    street.mahalleler.add(mahalle)
    for x, no in ((200, "1"), (300, "5")):
        yapi = Yapi.objects.create(mahalle=mahalle, geom=box(x - 6, 10, x + 6, 22))
        Adres.objects.create(csbm=street, mahalle=mahalle, yapi=yapi, kapi_no=no, taraf="sol",
                             geom=Point(*xy(x, 10), srid=4326))
    start = timezone.localdate().replace(month=1, day=1)
    for kalem, price in (("adres_karti", "150.00"), ("kapi_levhasi", "40.00"), ("csbm_levhasi", "300.00")):
        Tarife.objects.create(kalem=kalem, birim_fiyat=Decimal(price), gecerlilik_baslangic=start,
                              meclis_karar_no="2025/7")
    Layer.objects.create(slug="mahalleler", title_tr="Mahalleler", theme_id="IB", geometry_family="polygon",
                         source="numarataj.Mahalle", access_level="public")
    User.objects.create_user(OFFICER, password="gizli-parola").groups.add(Group.objects.get(name=OFFICE))
    return street


def pdf_text(path: str) -> str:
    """A downloaded PDF's text as pdftotext lays it out (poppler-utils, installed by make setup)."""
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) not installed: make setup installs it")
    return subprocess.run(["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True).stdout
