"""The Celery application: configured from Django's settings (the ``CELERY_`` names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rabat_portal.settings")

app = Celery("rabat_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
