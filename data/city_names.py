"""Real-looking Turkish names for the synthetic city (build_city): ilçeler, mahalleler and CSBM.

Names repeat across ilçeler (every ilçe has its Atatürk Caddesi) but never within one, as the
register requires; numbered streets take numbers unique within their ilçe and kind. Everything
random comes from the caller's random.Random, so the same seed gives the same names."""

import random
from collections.abc import Iterator

from numarataj.models import CsbmTuru

from .demo.layout import ARTERIAL_NAMES, MAHALLE_NAMES, SOKAK_NAMES

PEOPLE = ["Atatürk", "İnönü", "Fevzi Çakmak", "Kazım Karabekir", "Mimar Sinan", "Yunus Emre", "Mevlana",
          "Hacı Bayram", "Namık Kemal", "Ziya Gökalp", "Mehmet Akif Ersoy", "Aşık Veysel", "Karacaoğlan",
          "Nasreddin Hoca", "Piri Reis", "Kâtip Çelebi", "Evliya Çelebi", "Fuzuli", "Barbaros", "Alparslan",
          "Fatih Sultan Mehmet", "Yavuz Selim", "Kanuni", "Ulubatlı Hasan", "Cahit Arf", "Aziz Sancar",
          "Neşet Ertaş", "Barış Manço", "Sabahattin Ali", "Orhan Veli", "Cemal Süreya", "Necip Fazıl",
          "Halide Edip", "Sait Faik", "Reşat Nuri", "Âşık Mahzuni", "Dede Korkut", "Bilge Kağan", "Tomris",
          "Nene Hatun", "Kara Fatma", "Şehit Ömer Halisdemir", "Zübeyde Hanım", "Necatibey", "Gazi Osman Paşa",
          "Süleyman Demirel", "Turgut Özal", "Adnan Menderes", "İsmet Paşa", "Rauf Orbay"]
NATURE = ["Çamlık", "Pınar", "Dere", "Tepe", "Yayla", "Bağlar", "Bahçe", "Çınaraltı", "Kavak", "Meşe", "Sedir",
          "Servi", "Ihlamur", "Ardıç", "Gürgen", "Kestane", "Badem", "Kiraz", "Ayva", "Nar", "İncir", "Zeytin",
          "Lavanta", "Gelincik", "Nilüfer", "Şebboy", "Hanımeli", "Sarmaşık", "Orkide", "Kamelya", "Ortanca",
          "Gül", "Yonca", "Başak", "Çiğdem", "Sümbül", "Papatya", "Güz", "Bahar", "Yaz", "Seher", "Şafak",
          "Tan", "Yıldız", "Ay", "Güneş", "Kuzey", "Rüzgar", "Bulut", "Yağmur", "Kar", "Deniz", "Göl", "Irmak"]
PLACES = ["Kars", "Sivas", "Trabzon", "Rize", "Erzurum", "Van", "Muş", "Bitlis", "Kastamonu", "Sinop", "Bolu",
          "Düzce", "Bursa", "Manisa", "Aydın", "Muğla", "Denizli", "Isparta", "Burdur", "Konya", "Karaman",
          "Niğde", "Nevşehir", "Kayseri", "Yozgat", "Çorum", "Amasya", "Tokat", "Ordu", "Giresun", "Artvin",
          "Ardahan", "Iğdır", "Ağrı", "Malatya", "Elazığ", "Tunceli", "Bingöl", "Hakkari", "Şırnak", "Mardin",
          "Urfa", "Adıyaman", "Antep", "Kilis", "Hatay", "Adana", "Mersin", "Bişkek", "Aşkabat", "Taşkent",
          "Bakü", "Kırım", "Kazan", "Üsküp", "Saraybosna", "Prizren", "Kerkük", "Tebriz", "Semerkant"]
VIRTUES = ["Huzur", "Barış", "Sevgi", "Umut", "Dostluk", "Kardeşlik", "Birlik", "Beraberlik", "Özgürlük",
           "Cumhuriyet", "Hürriyet", "İstiklal", "Zafer", "Millet", "Vatan", "Bayrak", "Sağlık", "Bereket",
           "Emek", "Çalışkan", "Güven", "Doğruluk", "Sabır", "Şükran", "Neşe", "Mutlu", "Sevinç", "Ümit"]
STREET_WORDS = list(dict.fromkeys(PEOPLE + list(ARTERIAL_NAMES.values()) + SOKAK_NAMES + NATURE + PLACES + VIRTUES))
MAHALLE_WORDS = list(dict.fromkeys(list(MAHALLE_NAMES.values()) + [
    "Kocatepe", "Kavaklıdere", "Ayrancı", "Dikmen", "Öveçler", "Balgat", "Çukurambar", "Sokullu", "Yeşilyurt",
    "Akpınar", "Karşıyaka", "Güzeltepe", "Şirintepe", "Gültepe", "Çamlıca", "Bağlarbaşı", "Sütlüce", "Aktepe",
    "Yeşilöz", "Demetevler", "Batıkent", "Eryaman", "Esertepe", "Mehmet Akif", "Yunus Emre", "Mevlana",
    "Fatih", "Barbaros", "Kazım Karabekir", "Mimar Sinan", "Gazi", "Zafer", "İstiklal", "Hürriyet", "Kurtuluş",
    "Cebeci", "Kızılırmak", "Sakarya", "Yenidoğan", "Ulubey", "Kayaş", "Tuzluçayır", "Natoyolu", "Abidinpaşa",
    "Dodurga", "Çiğdem", "Ümitköy", "Konutkent", "Bahçekapı", "Şentepe", "Karapürçek", "Ergazi", "Varlık",
    "Aşağı Eğlence", "Yukarı Dikmen", "Keklikpınarı", "Kırkkonaklar", "Ata", "Saray", "Güneşevler"]))
ILCE_WORDS = list(dict.fromkeys(["Yenişehir", "Gölbaşı", "Kızılcaova", "Altınova", "Akyurt", "Sarıyer",
                                 "Karaağaç", "Çamlıdere", "Yeşilova", "Ilıca", "Kuşcağız", "Akçaören",
                                 "Pursaklar", "Elmadağ", "Kalecik", "Güdül", "Bala", "Haymana", "Evren",
                                 "Kazan", "Ayaş", "Nallıhan", "Beypazarı", "Polatlı", *PLACES[:40], *NATURE[:20]]))
PREFIXES = ["", "Yeni ", "Yukarı ", "Aşağı ", "Büyük ", "Küçük ", "Eski ", "Orta "]


def _variants(words: list[str], rng: random.Random) -> Iterator[str]:
    """The words in a seeded order, then with prefixes, then pairs: an endless supply."""
    for prefix in PREFIXES:
        for w in rng.sample(words, len(words)):
            yield f"{prefix}{w}"
    while True:
        yield f"{rng.choice(words)} {rng.choice(words)}"


class IlceNames:
    """Unique names within one ilçe: mahalleler, named streets per kind, street numbers per kind."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._mahalle = _variants(MAHALLE_WORDS, rng)
        self._street: dict[str, Iterator[str]] = {}
        self._used: set[tuple[str, str]] = set()
        self._next_number: dict[str, int] = {}

    def mahalle(self) -> str:
        while True:
            name = next(self._mahalle)
            if ("mahalle", name) not in self._used:
                self._used.add(("mahalle", name))
                return name

    def street(self, tur: str) -> str:
        names = self._street.setdefault(tur, _variants(STREET_WORDS, self.rng))
        while True:
            name = next(names)
            if (tur, name) not in self._used:
                self._used.add((tur, name))
                return name

    def number(self, tur: str) -> int:
        """Numbered streets count up from a seeded start with small gaps, as in Ankara's plans."""
        start = {CsbmTuru.CADDE: 1, CsbmTuru.BULVAR: 1}.get(tur, 1000 + 100 * self.rng.randint(0, 20))
        n = self._next_number.get(tur, start) + self.rng.choice((1, 1, 1, 2, 3))
        self._next_number[tur] = n
        return n


def ilce_names(rng: random.Random) -> Iterator[str]:
    """Distinct ilçe names for the whole city."""
    seen: set[str] = set()
    for name in _variants(ILCE_WORDS, rng):
        if name not in seen:
            seen.add(name)
            yield name
