"""The Celery application: configuration from Django settings (``CELERY_`` namespace)."""

import os

from celery import Celery

from toolkit_project.broker_fixes import patch_redis_channel_close

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_project.settings.local")

patch_redis_channel_close()
app = Celery("toolkit_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
