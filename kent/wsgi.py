"""WSGI entry point: `gunicorn kent.wsgi` in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")
application = get_wsgi_application()
