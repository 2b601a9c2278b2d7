"""Developer and single-machine settings: base plus generated local secrets.

Secrets are generated once into ``$IGNITION_TOOLKIT_DATA/secrets.env``; ``DEBUG`` stays off
unless ``DJANGO_DEBUG=true`` is set. While ``make run`` runs on the same data folder, its
embedded Redis is the default ``REDIS_URL``, so management commands reach its worker.
"""

import warnings

from toolkit_project.launcher.lock import running_instance

from .env import DATA_DIR, env, load_local_secrets

load_local_secrets(DATA_DIR)
env.ENVIRON.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# manage.py commands beside a running `make run` use its embedded Redis (queue, live events).
if embedded_redis := running_instance(DATA_DIR / "run.lock").get("redis_url"):
    env.ENVIRON.setdefault("REDIS_URL", embedded_redis)

from .base import *  # noqa: E402

# Serve static files straight from the source folders: no collectstatic step on one machine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Static files come from the finders here, so a missing STATIC_ROOT is expected.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
