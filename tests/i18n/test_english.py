"""The English catalogue: complete, consistent, current, and actually used when English is chosen.

Turkish is the source language; locale/en/LC_MESSAGES/django.po carries the English. The .mo files
are not in git (setup compiles them); the page tests compile them here if they are missing or older
than the .po, so the suite also passes on a clean clone.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import trans_real

from tests.conftest import missing as prerequisite_missing

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
IGNORE = [".venv", "node_modules", "staticfiles", "media", "test-artifacts"]
# An app catalogue (geo/locale) would take the app's strings away from the project catalogue when
# makemessages runs from the top; the project catalogue is the one that holds every string.
MAKEMESSAGES_IGNORE = [*IGNORE, "geo/locale"]


# ---- a small .po reader (stdlib only) ---------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    """The text of one PO string literal ("..." with C escapes)."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), quoted.strip()[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: msgid, msgid_plural, msgstr (list), flags (set), line. The header is skipped."""
    entries: list[dict] = []
    cur: dict | None = None
    field: tuple[str, int] | None = None

    def flush() -> None:
        if cur is not None and "msgid" in cur and not cur.get("obsolete"):
            entries.append(cur)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            cur, field = None, None
            continue
        if cur is None:
            cur = {"flags": set(), "msgstr": {}, "line": lineno}
        if line.startswith("#~"):
            cur["obsolete"] = True
        elif line.startswith("#,"):
            cur["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            cur["msgctxt"], field = _unquote(line[8:]), ("msgctxt", -1)
        elif line.startswith("msgid_plural "):
            cur["msgid_plural"], field = _unquote(line[13:]), ("msgid_plural", -1)
        elif line.startswith("msgid "):
            cur["msgid"], field = _unquote(line[6:]), ("msgid", -1)
        elif line.startswith("msgstr["):
            n = int(line[7:line.index("]")])
            cur["msgstr"][n], field = _unquote(line[line.index("]") + 2:]), ("msgstr", n)
        elif line.startswith("msgstr "):
            cur["msgstr"][0], field = _unquote(line[7:]), ("msgstr", 0)
        elif line.startswith('"') and field is not None:
            name, n = field
            if name == "msgstr":
                cur["msgstr"][n] += _unquote(line)
            else:
                cur[name] += _unquote(line)
    flush()
    return [e for e in entries if e["msgid"] != ""]


PERCENT = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%|%[sd]")
BRACE = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}")


def _placeholders(text: str, flags: set[str]) -> list[str]:
    """The distinct placeholders a string uses (a name may appear more than once, or once less)."""
    found = set()
    if "python-format" in flags:
        found |= set(PERCENT.findall(text))
    if "python-brace-format" in flags:
        found |= set(BRACE.findall(text))
    return sorted(found)


# ---- the catalogue itself ---------------------------------------------------------------------

def test_catalogue_is_complete_and_consistent():
    entries = read_po(PO)
    assert len(entries) > 500, f"suspiciously small catalogue: {len(entries)} entries"
    problems = []
    for e in entries:
        where = f"{PO.name}:{e['line']} {e['msgid'][:60]!r}"
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {where}")
        forms = 2 if "msgid_plural" in e else 1
        strs = [e["msgstr"].get(i, "") for i in range(forms)]
        if not all(s.strip() for s in strs):
            problems.append(f"untranslated: {where}")
            continue
        for i, s in enumerate(strs):
            source = e["msgid"] if i == 0 else e.get("msgid_plural", e["msgid"])
            want, got = _placeholders(source, e["flags"]), _placeholders(s, e["flags"])
            if want != got:
                problems.append(f"placeholders {want} != {got}: {where}")
    assert not problems, "\n".join(problems)


def test_msgfmt_accepts_the_catalogue(tmp_path):
    import subprocess

    if shutil.which("msgfmt") is None:
        prerequisite_missing("GNU gettext (msgfmt) is not installed: make setup installs it")
    out = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "en.mo"), str(PO)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "fuzzy" not in out.stderr and "untranslated" not in out.stderr, out.stderr


def test_catalogue_covers_every_marked_string(tmp_path, monkeypatch):
    """makemessages on a copy of the tree merges nothing new: every marked string is translated.

    When this fails, run (in the project):
      manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles \\
          --ignore=media --ignore=test-artifacts --ignore=geo/locale --no-obsolete
    translate the new entries in locale/en/LC_MESSAGES/django.po and drop their fuzzy flags."""
    if shutil.which("xgettext") is None:
        prerequisite_missing("GNU gettext (xgettext) is not installed: make setup installs it")
    copy = tmp_path / "tree"
    skip = {".git", ".venv", "node_modules", "staticfiles", "media", "test-artifacts", "backups", "__pycache__",
            ".pytest_cache", ".ruff_cache"}
    shutil.copytree(BASE, copy, ignore=lambda d, names: [n for n in names if n in skip or n.endswith(".mo")])
    # Other locale directories (app catalogues) are not this catalogue's business.
    for extra in copy.glob("*/locale"):
        shutil.rmtree(extra)
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["en"], ignore_patterns=MAKEMESSAGES_IGNORE, no_obsolete=True,
                     verbosity=0)
    missing = [f"{'fuzzy' if 'fuzzy' in e['flags'] else 'new'}: {e['msgid'][:80]!r}" for e in read_po(po)
               if "fuzzy" in e["flags"] or not all(s.strip() for s in e["msgstr"].values())]
    assert not missing, f"{len(missing)} strings lack English:\n" + "\n".join(missing)


# ---- the language switch ----------------------------------------------------------------------

@pytest.fixture
def compiled():
    """The .mo next to the .po, compiled now if missing or stale; translation caches reset."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        call_command("compilemessages", locale=["en"], ignore_patterns=IGNORE, verbosity=0)
        trans_real._translations.clear()
        trans_real._default = None
    assert MO.exists()
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
def test_setlang_switches_the_login_page(compiled):
    client = Client()
    html = _page(client, "/accounts/login/")
    assert 'lang="tr"' in html and "Katmanlar" in html and "Giriş yap" in html

    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = _page(client, "/accounts/login/")
    assert 'lang="en"' in html
    for english in ("Layers", "Map editor", "Username", "Password", "Log in"):  # admin: staff only (kent/nav.py)
        assert english in html, english
    for turkish in ("Katmanlar", "Harita düzenleyici", "Kullanıcı adı", "Parola", "Giriş yap"):
        assert turkish not in html, turkish

    client.post("/i18n/setlang/", {"language": "tr", "next": "/accounts/login/"})
    html = _page(client, "/accounts/login/")
    assert 'lang="tr"' in html and "Katmanlar" in html and "Layers" not in html


@pytest.mark.django_db
def test_layer_list_in_english(compiled):
    client = Client()
    client.force_login(User.objects.create_user("i18n-reader", password="x"))
    client.post("/i18n/setlang/", {"language": "en"})
    html = _page(client, "/katmanlar/")
    assert "<h1>Layers</h1>" in html
    assert "The layers you are allowed to view" in html
    client.post("/i18n/setlang/", {"language": "tr"})
    html = _page(client, "/katmanlar/")
    assert "<h1>Katmanlar</h1>" in html


@pytest.mark.django_db
def test_browser_language_is_honoured(compiled):
    html = _page(Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"), "/accounts/login/")
    assert 'lang="en"' in html and "Layers" in html


def test_python_strings_and_plurals(compiled):
    from geo.models import Layer

    with translation.override("en"):
        assert str(Layer._meta.verbose_name) == "layer"
        assert translation.ngettext("%(n)s katman", "%(n)s katman", 1) % {"n": 1} == "1 layer"
        assert translation.ngettext("%(n)s katman", "%(n)s katman", 3) % {"n": 3} == "3 layers"
        assert translation.gettext("Numarataj (MAKS adres kayıt)").startswith("Address numbering")
    with translation.override("tr"):
        assert str(Layer._meta.verbose_name) == "katman"
