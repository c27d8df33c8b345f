"""Kent settings. Everything that differs between deployments comes from the environment.

KENT_DATABASE_URL  postgis://kent:kent@127.0.0.1:5432/kent
KENT_SECRET_KEY    a long random string (the default is for development only)
KENT_DEBUG         1/0
KENT_ALLOWED_HOSTS comma list
KENT_MQTT_URL      mqtt://127.0.0.1:1883
KENT_MEDIA_ROOT    uploaded files (default: ./media)
KENT_LOCAL_SRID    the municipality's TUREF/TM zone, used for metric work (default 5255, TM33)
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("KENT_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-kent")
DEBUG = env_bool("KENT_DEBUG", True)
ALLOWED_HOSTS = [h for h in env("KENT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django_tasks_db",
    "geo",
    "numarataj",
    "smartcity",
    "ogc",
    "tiles",
    "rehber",
    "data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kent.urls"
WSGI_APPLICATION = "kent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kent" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kent.nav.top_bar",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("KENT_DATABASE_URL", "postgis://kent:kent@127.0.0.1:5432/kent"),
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
    )
}
# Explicit libpq options, so the PGOPTIONS that geo/mapnik_env.py sets for Mapnik's own
# connections (a lock timeout) never applies to Django's.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c lock_timeout=0")
# Parallel test runs (several developers on one machine) pick their own test database name.
DATABASES["default"]["TEST"] = {"NAME": env("KENT_TEST_DB", f"test_{DATABASES['default']['NAME']}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Storage CRS: every geometry is kept in WGS84 lon/lat (EPSG:4326), what OGC API, MVT and the
# browser speak natively. Lengths, areas and side-of-street work use the local TUREF/TM zone.
STORAGE_SRID = 4326
LOCAL_SRID = int(env("KENT_LOCAL_SRID", "5255"))

LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Türkçe")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# npm-installed assets are served from node_modules through the vendor/ prefix (no CDN).
STATICFILES_DIRS = [BASE_DIR / "kent" / "static", ("vendor", BASE_DIR / "node_modules")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("KENT_MEDIA_ROOT", str(BASE_DIR / "media")))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/calisma/"  # the staff home; others go on to the map (kent/home.py)

MQTT_URL = env("KENT_MQTT_URL", "mqtt://127.0.0.1:1883")

# How often a worker checks whether the address register changed (the matcher's index).
KENT_MATCH_REFRESH_SECONDS = float(env("KENT_MATCH_REFRESH_SECONDS", "5"))

# Uploads: big files go to disk, not memory; the import itself caps what it accepts.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KENT_IMPORT_MAX_BYTES = int(env("KENT_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
# OGC API Features writes (Part 4) need If-Match with the item's ETag ("required": 428 without it,
# 412 when stale). QGIS's OAPIF provider sends no If-Match; "optional" lets it save, last writer wins.
KENT_OGC_IF_MATCH = env("KENT_OGC_IF_MATCH", "required")

# Background jobs (geo.jobs): Django's task framework with the PostgreSQL-backed worker of
# django-tasks-db (`manage.py db_worker`); `manage.py run_schedule` enqueues the periodic ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job's worker writes a heartbeat this often; one silent for KENT_JOB_STALE_SECONDS is
# marked failed (its transaction died with the worker, so nothing of it was written).
KENT_JOB_HEARTBEAT_SECONDS = float(env("KENT_JOB_HEARTBEAT_SECONDS", "10"))
KENT_JOB_STALE_SECONDS = float(env("KENT_JOB_STALE_SECONDS", "120"))
KENT_BACKUP_DIR = Path(env("KENT_BACKUP_DIR", str(BASE_DIR / "backups")))
KENT_BACKUP_KEEP = int(env("KENT_BACKUP_KEEP", "7"))  # nightly archives kept by the rotation
# The periodic jobs `run_schedule` enqueues: kind (registered in an app's tasks.py), every N
# seconds, or daily at a local time ("HH:MM"); params are passed to the job.
KENT_JOB_SCHEDULES = [
    {"name": "gozlem-bolumleri", "kind": "observation_partitions", "every": 6 * 3600},
    {"name": "gozlem-budama", "kind": "prune_observations", "at": "03:10"},
    {"name": "gece-yedegi", "kind": "backup", "at": "02:30"},
    {"name": "adlandirma-kararlari", "kind": "apply_naming_decisions", "at": "00:05"},
]
SILENCED_SYSTEM_CHECKS = [
    # gis.W001: Django 6.1 warns that Debian 12's GDAL 3.6 is older than it tests against.
    # GeoDjango only uses GDAL here for SRS and OGR geometry conversions, which 3.6 does well;
    # file I/O goes through pyogrio's and rasterio's bundled GDAL.
    "gis.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KENT_LOG_LEVEL", "WARNING")},
}
