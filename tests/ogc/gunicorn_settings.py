"""Settings for the gunicorn the worker test starts: Kent's, with the OGC tests' URLconf."""

from kent.settings import *  # noqa: F403

ROOT_URLCONF = "tests.ogc.urls"
