"""Shared fixtures: the real sample data in ../shared/data and a few users with roles.

A test whose prerequisite is missing skips with a message saying where it comes from; in CI
(`KENT_STRICT=1`, set by .ci/run) the same test fails instead, so CI never skips silently."""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SHARED_HINT = ("the sample data (OpenStreetMap export of Ankara Bahçelievler, Sentinel-2 NDVI) comes from the "
               "project's shared/ folder: clone Kent next to shared/ so that ../shared/data exists")


def missing(reason: str) -> None:
    """Skip for a missing prerequisite, or fail where nothing may be skipped (CI)."""
    if os.environ.get("KENT_STRICT") == "1":
        pytest.fail(f"{reason} (KENT_STRICT=1: CI runs every test)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a skip that says where it comes from."""
    if not SHARED_DATA.is_dir():
        missing(f"{SHARED_DATA} not found: {SHARED_HINT}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def own_tile_cache(settings, tmp_path_factory: pytest.TempPathFactory) -> None:  # noqa: ANN001 - pytest-django
    """Each test draws into a tile cache of its own: a tile cached by another test (or another
    run on the same machine) must never answer for this one's data."""
    settings.KENT_TILE_CACHE = str(tmp_path_factory.mktemp("tilecache"))


from tests.crawl import crawl_world  # noqa: E402, F401 - the crawl's data, shared by the crawl and leak tests
