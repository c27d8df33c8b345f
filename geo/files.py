"""Small file helpers shared by backups and register exports."""

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex, read in 1 MiB blocks (archives may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
