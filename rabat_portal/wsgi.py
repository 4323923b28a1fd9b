"""WSGI entry point, used by gunicorn in production (``rabat_portal.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rabat_portal.settings")

application = get_wsgi_application()
