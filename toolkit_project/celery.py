"""The Celery application: configuration from Django settings (``CELERY_`` namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_project.settings.local")

app = Celery("toolkit_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
