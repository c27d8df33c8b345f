"""Turkish text rules (geo.text): the pairs str.lower()/str.upper() get wrong, and yes/no words."""

import pytest

from geo import text


@pytest.mark.parametrize(("written", "lower"), [
    ("İLÇE", "ilçe"), ("ADI", "adı"), ("IŞIK", "ışık"), ("İZMİR", "izmir"), ("I\u0307STANBUL", "istanbul"),
])
def test_turkish_lower(written, lower):
    assert text.turkish_lower(written) == lower
    assert written.lower() != lower  # what Python does without the Turkish rule


@pytest.mark.parametrize(("written", "upper"), [("istiklal", "İSTİKLAL"), ("ılıca", "ILICA"), ("çağ", "ÇAĞ")])
def test_turkish_upper(written, upper):
    assert text.turkish_upper(written) == upper
    assert text.turkish_lower(upper) == written


def test_fold_and_ascii_key():
    assert text.fold("  Atatürk   CADDESİ ") == "atatürk caddesi"
    assert text.ascii_key("Çağlayan IŞIKLAR Ümraniye") == "caglayan isiklar umraniye"
    assert text.ascii_key("Café") == "cafe"
    assert text.clean_spaces(" Atatürk'ün   evi ") == "Atatürkün evi"


@pytest.mark.parametrize("word", ["EVET", "Evet", "DOĞRU", "dogru", "VAR", "E", "true", "TRUE", "1", True])
def test_true_words(word):
    assert text.parse_bool(word) is True


@pytest.mark.parametrize("word", ["HAYIR", "Hayır", "hayir", "YANLIŞ", "yanlis", "YOK", "h", "false", "0", False])
def test_false_words(word):
    assert text.parse_bool(word) is False


@pytest.mark.parametrize("word", ["belki", "", "2", "evetler"])
def test_other_words_are_not_guessed(word):
    assert text.parse_bool(word) is None
