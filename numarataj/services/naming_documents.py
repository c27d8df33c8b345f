"""The signed documents of a naming decision's steps: the council's decision (Meclis kararı) and the
mülki amir's approval (Valilik / Kaymakamlık onayı), kept as PDF files in media.

AdlandirmaKarari has no file field, and this feature adds no migration, so each document lives at
a path derived from the decision and its step, `MEDIA_ROOT/numarataj/adlandirma/<karar id>/<step>.pdf`;
uploading again replaces it. Media is not served to the public: staff read the files through the
decision page. A file is accepted only when it parses as a PDF with at least one page, so a
renamed image or a broken download is refused at the upload, not found out at an audit."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from geo.errors import InvalidInput, NotFound
from numarataj.models.naming import AdlandirmaKarari

# step key (as in naming.STEPS) -> the document's name on the page
DOCUMENT_STEPS = {"meclis": "Meclis karar belgesi", "onay": "Mülki amir onay belgesi"}
MAX_BYTES = 10 * 1024 * 1024


def path_of(karar: AdlandirmaKarari, step: str) -> str:
    if step not in DOCUMENT_STEPS:
        raise NotFound(f"Bu adımın belgesi olmaz: '{step}'. (No document for this step.)")
    return str(PurePosixPath("numarataj", "adlandirma", str(karar.pk), f"{step}.pdf"))


def checked_pdf(upload: UploadedFile | None, *, field: str = "belge") -> bytes:
    """The upload's bytes when they are a readable PDF with pages; InvalidInput otherwise."""
    if upload is None:
        raise InvalidInput("Karar belgesi (PDF) gerekli. (The decision document, a PDF, is required.)", field=field)
    if upload.size > MAX_BYTES:
        raise InvalidInput(f"Belge en fazla {MAX_BYTES // (1024 * 1024)} MB olabilir. (The document is too large.)",
                           field=field)
    content = upload.read()
    refused = InvalidInput(f"'{upload.name}' bir PDF belgesi değil. Taranmış kararı PDF olarak yükleyin. "
                           f"('{upload.name}' is not a PDF document.)", field=field, reason="not_pdf")
    if b"%PDF-" not in content[:1024]:
        raise refused
    try:
        pages = len(PdfReader(io.BytesIO(content), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise refused from e
    if pages < 1:
        raise refused
    return content


def store(karar: AdlandirmaKarari, step: str, content: bytes) -> str:
    """Write (or replace) the step's document; returns its media-relative path."""
    name = path_of(karar, step)
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def exists(karar: AdlandirmaKarari, step: str) -> bool:
    return default_storage.exists(path_of(karar, step))


def read(karar: AdlandirmaKarari, step: str) -> bytes:
    name = path_of(karar, step)
    if not default_storage.exists(name):
        raise NotFound(f"Karar #{karar.pk} için {DOCUMENT_STEPS[step].lower()} yüklenmemiş. "
                       f"(No document uploaded for this step.)")
    with default_storage.open(name, "rb") as f:
        return f.read()


def documents(karar: AdlandirmaKarari) -> list[tuple[str, str]]:
    """(step, title) of each document this decision has."""
    return [(step, title) for step, title in DOCUMENT_STEPS.items() if exists(karar, step)]
