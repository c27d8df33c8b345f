"""Street names as written vs. as the register stores them (no database needed)."""

import pytest

from numarataj.services.parse import parse_address
from numarataj.services.streetnames import StreetIndex, parse_street_name


@pytest.mark.parametrize(("written", "tur", "ad", "numara"), [
    ("Atatürk Caddesi", "cadde", "Atatürk", None),
    ("1203. Sokak", "sokak", "", 1203),
    ("36.Sok", "sokak", "", 36),
    ("36. (39.) Sokak", "sokak", "", 36),
    ("8. Caddesi", "cadde", "", 8),
    ("Mertebe Sk.", "sokak", "Mertebe", None),
    ("Mevlana Blv.", "bulvar", "Mevlana", None),
    ("Cumhuriyet Bulvarı", "bulvar", "Cumhuriyet", None),
    ("Beşevler Cahar Dudayev Meydanı", "meydan", "Beşevler Cahar Dudayev", None),
    ("Kazakistan Cad.", "cadde", "Kazakistan", None),
    ("Yaya Üst Geçidi", "sokak", "Yaya Üst Geçidi", None),  # no suffix: a sokak, name kept whole
    ("İSTİKLAL CADDESİ", "cadde", "İSTİKLAL", None),  # Turkish capitals: 'İ' is not 'i' + a dot
    ("Yeşiltepe Küme Evleri", "kume_evler", "Yeşiltepe", None),
    ("Gazi Mustafa Kemal Bulvarı", "bulvar", "Gazi Mustafa Kemal", None),
])
def test_names_split_into_kind_and_name_or_number(written: str, tur: str, ad: str, numara: int | None) -> None:
    street = parse_street_name(written)
    assert (street.tur, street.ad, street.numara) == (tur, ad, numara)
    assert not (street.ad and street.numara is not None)


def test_abbreviated_and_ascii_spellings_find_the_same_street() -> None:
    index = StreetIndex({k: parse_street_name(k) for k in
                         ["Mareşal Fevzi Çakmak Caddesi", "36. (39.) Sokak", "Misket Sokak", "Mevlana Bulvarı"]})
    assert index.find("Mrşl. Fevzi Çakmak Cad.") == "Mareşal Fevzi Çakmak Caddesi"
    assert index.find("MARESAL FEVZI CAKMAK CD") == "Mareşal Fevzi Çakmak Caddesi"
    assert index.find("36.Sok") == "36. (39.) Sokak"
    assert index.find("Misket Sk.") == "Misket Sokak"
    assert index.find("Mevlana") == "Mevlana Bulvarı"  # kind missing, but the name is unique
    assert index.find("Bahçe sokak") is None


def test_the_register_and_free_text_addresses_share_one_key() -> None:
    """The street parser and the address parser read a name alike (one set of words, one fold)."""
    street = parse_street_name("Mareşal Fevzi Çakmak Caddesi")
    written = parse_address("Emek Mah. MRŞL. FEVZİ ÇAKMAK CD. No:5").streets[0]
    assert (written.kind, written.name_key) == (street.tur, street.base_key)
    index = StreetIndex({"İstiklal Caddesi": parse_street_name("İstiklal Caddesi")})
    assert index.find("ISTIKLAL CD") == index.find("istiklal cad.") == "İstiklal Caddesi"
