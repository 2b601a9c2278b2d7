"""Test settings: real PostgreSQL and Redis, faster hashing, nothing else changed."""

import os

from cryptography.fernet import Fernet

from .parallel_tests import isolate_parallel_worker

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", Fernet.generate_key().decode())
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ignition_toolkit")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CHANNELS_PREFIX", "toolkit-test")
isolate_parallel_worker(os.environ)

from .base import *  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = DATA_DIR / "test-media"
