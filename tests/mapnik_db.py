"""Mapnik's PostGIS plugin keeps a connection pool with no way to close it from Python, so a run
that rendered tiles must end those connections before the test database is dropped. The fixture
is registered by the conftest of each folder whose tests render (tests/tiles, tests/browser)."""

from collections.abc import Iterator

import pytest
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _close_mapnik_connections(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001 - pytest-django
    yield
    with django_db_blocker.unblock(), connection.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")
