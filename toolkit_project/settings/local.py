"""Developer and single-machine settings: base plus generated local secrets.

Secrets are generated once into ``$IGNITION_TOOLKIT_DATA/secrets.env``; ``DEBUG`` stays off
unless ``DJANGO_DEBUG=true`` is set.
"""

import warnings
from pathlib import Path

from .env import BASE_DIR, env, load_local_secrets

load_local_secrets(Path(env.str("IGNITION_TOOLKIT_DATA", default=str(BASE_DIR / "var"))).resolve())
env.ENVIRON.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402

# Serve static files straight from the source folders: no collectstatic step on one machine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Static files come from the finders here, so a missing STATIC_ROOT is expected.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
