"""Settings for every environment; production differs only by environment values.

Nothing here has an unsafe default: without ``DEBUG`` the secret key, allowed hosts and the
field-encryption key must be given (directly or as ``NAME_FILE``).
"""

import hashlib
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab  # noqa: F401  (used by beat entries added per app)
from kombu import Queue

from toolkit_project.version import portal_version

from .artifacts import artifacts_storage
from .env import BASE_DIR, DATA_DIR, env, ip_networks, secret

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Give a comma-separated list of the host names "
        "users reach the portal by, e.g. DJANGO_ALLOWED_HOSTS=portal.plant.local."
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
LANGUAGE_CODE = "en-us"
USE_I18N = False
USE_TZ = True
SITE_NAME = "Ignition Automation Portal"

# DATABASES
# ------------------------------------------------------------------------------
# Without DATABASE_URL the embedded default is SQLite in WAL mode under the data directory;
# IMMEDIATE transactions plus a busy timeout let web, worker and beat share it safely.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS
# ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_simplejwt.token_blacklist",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "encrypted_model_fields",
]
LOCAL_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.credentials",
    "apps.gateways",
    "apps.playbooks",
    "apps.steps",
    "apps.simulator",
    "apps.executions",
    "apps.reports",
    "apps.schedules",
    "apps.notifications",
    "apps.files",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes sees every login (pages, admin, API token, JWT) and refuses locked-out users
# before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins allowed per username and client address; the lock lasts
# LOGIN_RATE_WINDOW_SECONDS after the last failure. Both are read per request.
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=10)
# The history page counts runs of each status up to this many and shows "10,000+" past it.
HISTORY_COUNT_LIMIT = env.int("HISTORY_COUNT_LIMIT", default=10_000)
LOGIN_RATE_WINDOW_SECONDS = env.int("LOGIN_RATE_WINDOW_SECONDS", default=300)
# Failures are rows in the database, not cache entries: they survive a restart of the embedded
# Redis, show in the admin, and `manage.py axes_reset_username <name>` can clear them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = "apps.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "apps.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "apps.core.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For names the client; without
# them lock-out and throttles key on the address that connects.
TRUSTED_PROXIES = ip_networks("TRUSTED_PROXIES")
# JWT for scripts beside API tokens: short-lived access tokens, refresh tokens rotated on use
# and blacklisted after it. The signing key is derived from the secret key, so rotating the
# secret key ends every JWT.
JWT_ACCESS_MINUTES = env.int("JWT_ACCESS_MINUTES", default=15)
JWT_REFRESH_DAYS = env.int("JWT_REFRESH_DAYS", default=1)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=JWT_ACCESS_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=JWT_REFRESH_DAYS),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": hashlib.sha256(f"jwt-signing:{SECRET_KEY}".encode()).hexdigest(),
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# Runs each user may start through the API and the pages, as DRF writes rates (N/s, N/min,
# N/hour, N/day).
LAUNCH_RATE_LIMIT = env.str("LAUNCH_RATE_LIMIT", default="60/min")

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # First: every log line of the request, whatever answers it, carries its id.
    "apps.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "apps.core.csp.SameHostWebsocketCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or process_view hook reads the body; after the ones its page needs.
    "apps.core.request_limits.BodySizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so the lock-out page it substitutes still passes through every middleware above.
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "toolkit_project.urls"
ASGI_APPLICATION = "toolkit_project.asgi.application"
WSGI_APPLICATION = "toolkit_project.wsgi.application"

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS only where the portal is served over HTTPS (secure cookies on); Django sends it on
# HTTPS requests only, so behind a TLS proxy set DJANGO_PROXY_SSL_HEADER too.
SECURE_HSTS_SECONDS = (
    env.int("DJANGO_HSTS_SECONDS", default=31536000) if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
# The header a TLS-terminating proxy sets to "https" (e.g. X-Forwarded-Proto). Set it only when
# that proxy overwrites the header on every request, or clients could claim HTTPS themselves.
_PROXY_SSL_HEADER = env.str("DJANGO_PROXY_SSL_HEADER", default="")
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Content-Security-Policy (django-csp): only the portal's own scripts, styles and connections;
# live browser frames arrive as data: images. apps.core.csp adds the same host's ws:/wss:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Field-level encryption for credentials: a Fernet key, or several separated by commas with
# the newest first (older keys still decrypt; `rotate_credentials_key` re-encrypts).
FIELD_ENCRYPTION_KEY = [
    key.strip() for key in secret("FIELD_ENCRYPTION_KEY").split(",") if key.strip()
]

# The first admin that `make run` and a container's first start create (once, when no admin
# exists). Without a password, a generated one is printed once.
PORTAL_ADMIN_USERNAME = env.str("PORTAL_ADMIN_USERNAME", default="admin")
PORTAL_ADMIN_PASSWORD = secret("PORTAL_ADMIN_PASSWORD", default="")

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "toolkit_project.context_processors.navigation",
            ],
        },
    }
]

# CACHES
# ------------------------------------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "toolkit",
    }
}

# CHANNELS
# ------------------------------------------------------------------------------
CHANNELS_PREFIX = env.str("CHANNELS_PREFIX", default="toolkit")
# The websockets of one Daphne process share one Redis list, and channels-redis silently drops
# what goes beyond its capacity (default 100): a burst of events to many open run pages
# would leave gaps the pages then fill over HTTP.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            # The layer's reads block for up to 5 s (BRPOP); the Redis client's default socket
            # timeout is also 5 s, so an idle socket's read timed out and its websocket dropped
            # (code 1011). Give the socket room beyond the blocking read.
            "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
            "prefix": CHANNELS_PREFIX,
            "capacity": 1000,
        },
    }
}

# CELERY
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# A step type's ``requires`` capability -> the queue of the only workers that have it: a run
# with such a step goes there (apps.executions.capabilities). Desktop hosts run
# ``make worker-designer`` (WORKER_CAPABILITIES=desktop, -Q designer).
STEP_CAPABILITY_QUEUES = {"desktop": "designer"}
CELERY_TASK_QUEUES = (
    Queue("executions", routing_key="executions"),
    Queue("default", routing_key="default"),
    *(Queue(name, routing_key=name) for name in sorted(set(STEP_CAPABILITY_QUEUES.values()))),
)
CELERY_TASK_DEFAULT_ROUTING_KEY = "default"
CELERY_TASK_ROUTES = {"executions.*": {"queue": "executions", "routing_key": "executions"}}
# Short global limits for housekeeping; each run's task is sent with limits derived from the
# run's own timeout (apps.executions.services.lifecycle.execution_task_limits).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A task left unacknowledged is redelivered after this long; it must exceed the longest run.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=43200)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A Redis outage of any length: the worker keeps trying to reconnect (Celery's default gives up
# after 100 tries, about 45 minutes, and the worker exits).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# ...and its running runs go on meanwhile (Celery 6 will cancel them by default). Their message
# cannot be acknowledged on the lost connection; a redelivery finds the run claimed and ends.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# REST FRAMEWORK
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's own three, with JSON read under a nesting limit (apps.core.json_input).
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.PortalPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ignition Automation Portal API",
    "DESCRIPTION": "Playbooks, executions, credentials and gateways. Version 1.",
    # The portal's own version (pyproject.toml); the path's /v1 is the API's.
    "VERSION": portal_version(),
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request and response components apart: what a client sends is checked against what the
    # API accepts (no read-only fields, non-blank strings), answers against what it returns.
    "COMPONENT_SPLIT_REQUEST": True,
    # Bodies are described as JSON: form encodings cannot carry the API's nulls, lists and
    # objects. Operations that take a file upload say so themselves.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Served from static files: plants often have no internet, and the CSP allows no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}img/favicon.svg",
    # Several models have a "kind" field: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "CredentialKindEnum": "apps.credentials.models.CredentialKind",
        "ArtifactKindEnum": "apps.executions.models.ArtifactKind",
        "ScheduleKindEnum": "apps.schedules.models.ScheduleKind",
        "BatchPolicyEnum": "apps.executions.models.BatchPolicy",
        "BatchStatusEnum": "apps.executions.models.BatchStatus",
    },
}

# EXECUTIONS
# ------------------------------------------------------------------------------
# Whole-run limit when a launch gives none, and the longest one a launch may ask for. The
# engine ends a run at its limit; Celery's limits for its task follow from it (a margin later).
EXECUTION_TIMEOUT_SECONDS = env.int("EXECUTION_TIMEOUT_SECONDS", default=3600)
EXECUTION_MAX_SECONDS = env.int("EXECUTION_MAX_SECONDS", default=6 * 3600)
if not 0 < EXECUTION_TIMEOUT_SECONDS <= EXECUTION_MAX_SECONDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"EXECUTION_TIMEOUT_SECONDS is {EXECUTION_TIMEOUT_SECONDS}: give a number of seconds "
        f"from 1 to EXECUTION_MAX_SECONDS ({EXECUTION_MAX_SECONDS})."
    )
# Longest launch parameter value accepted, in characters (lists and dicts counted as JSON).
PARAMETER_VALUE_MAX_CHARS = env.int("PARAMETER_VALUE_MAX_CHARS", default=65536)
# The engine heartbeats this often; a run whose heartbeat is older than the stale limit is
# failed by the reaper as "worker lost".
EXECUTION_HEARTBEAT_SECONDS = env.float("EXECUTION_HEARTBEAT_SECONDS", default=5.0)
EXECUTION_STALE_SECONDS = env.int("EXECUTION_STALE_SECONDS", default=45)
# A run's writes wait this long for a database that went away (a restart, a failover) and then
# go on; past it the run stops with "The database did not answer for N s". Keep it below
# EXECUTION_STALE_SECONDS: a longer outage lets the reaper take the run for lost.
DATABASE_OUTAGE_SECONDS = env.int("DATABASE_OUTAGE_SECONDS", default=40)
# A worker told to stop (SIGTERM, Ctrl-C) takes no new runs and gives its running ones this
# long to end; the engine then ends each with "worker stopping". The launcher waits this long
# (and a margin) before it kills the worker.
WORKER_STOP_SECONDS = env.int("WORKER_STOP_SECONDS", default=30)
ARTIFACTS_ROOT = Path(env.str("ARTIFACTS_ROOT", default=str(DATA_DIR / "artifacts"))).resolve()
# Where artifacts are kept once recorded: empty, ARTIFACTS_ROOT on this host; s3://bucket?...,
# an S3-compatible store shared by every web and worker host (ARTIFACTS_ROOT then only holds
# the working folders of the runs in progress on this worker).
ARTIFACTS_STORAGE_URL = env.str("ARTIFACTS_STORAGE_URL", default="")
STORAGES["artifacts"] = artifacts_storage(
    ARTIFACTS_STORAGE_URL,
    access_key=secret("ARTIFACTS_S3_ACCESS_KEY_ID", default=""),
    secret_key=secret("ARTIFACTS_S3_SECRET_ACCESS_KEY", default=""),
)
# Worker folders whose files any editor's playbook may read through file parameters (besides
# the run's own folder). Absolute paths; empty: none.
WORKER_INPUT_DIRS = tuple(
    Path(folder.strip()) for folder in env.list("WORKER_INPUT_DIRS", default=[]) if folder.strip()
)
if not all(folder.is_absolute() for folder in WORKER_INPUT_DIRS):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "WORKER_INPUT_DIRS lists absolute folders, comma-separated, e.g. "
        "WORKER_INPUT_DIRS=/srv/ignition-inputs (empty: none)."
    )
# The files library (apps.files): the largest file one upload may be, in MiB, and the file
# name extensions it takes. The content is kept in the artifact store, under files/.
FILES_MAX_UPLOAD_MB = env.int("FILES_MAX_UPLOAD_MB", default=512)
FILES_ALLOWED_EXTENSIONS = tuple(
    ext.strip().lower()
    for ext in env.list(
        "FILES_ALLOWED_EXTENSIONS",
        default=[".modl", ".gwbk", ".zip", ".proj", ".json", ".xml", ".csv", ".txt", ".yaml"],
    )
    if ext.strip()
)
# utility.python runs arbitrary code on workers: off unless an administrator turns it on.
ALLOW_PYTHON_STEPS = env.bool("ALLOW_PYTHON_STEPS", default=False)
# Each script runs inside bubblewrap ("bwrap"); "off" runs them unsandboxed, with a warning on
# their run pages. PYTHON_STEPS_BWRAP names the binary (a name looked up on PATH, or a path).
PYTHON_STEPS_SANDBOX = env.str("PYTHON_STEPS_SANDBOX", default="bwrap").strip().lower()
if PYTHON_STEPS_SANDBOX not in ("bwrap", "off"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"PYTHON_STEPS_SANDBOX is {PYTHON_STEPS_SANDBOX!r}: use 'bwrap' (the default) to run "
        "Python steps in a sandbox, or 'off' to run them unsandboxed."
    )
PYTHON_STEPS_BWRAP = env.str("PYTHON_STEPS_BWRAP", default="bwrap")
# A sandboxed script has no network unless its step declares `network: true` and this allows it.
PYTHON_STEPS_NETWORK = env.bool("PYTHON_STEPS_NETWORK", default=False)
CELERY_BEAT_SCHEDULE = {
    # Every 20 s: fail runs whose worker stopped heartbeating.
    "executions-reap-stale": {"task": "executions.reap_stale_executions", "schedule": 20.0},
    # Every 5 s: send queued runs whose message never reached the broker (it was down at
    # launch), and again those unclaimed 30 s after sending (message lost, gateway was busy).
    "executions-dispatch": {"task": "executions.dispatch_queued_executions", "schedule": 5.0},
    # Hourly: delete launch Idempotency-Keys older than their 24 h lifetime.
    "executions-prune-launch-keys": {"task": "executions.prune_launch_keys", "schedule": 3600.0},
}

# BROWSERS
# ------------------------------------------------------------------------------
# Empty means: auto-detect a system Chromium on PATH, else Playwright's own download.
PLAYWRIGHT_CHROMIUM_EXECUTABLE = env.str("PLAYWRIGHT_CHROMIUM_EXECUTABLE", default="")
# Browser steps (docs/browser.md). Headed (false) needs a display on the worker.
BROWSER_HEADLESS = env.bool("BROWSER_HEADLESS", default=True)
# Viewport of the run's tab, WIDTHxHEIGHT in CSS pixels.
BROWSER_VIEWPORT = env.str("BROWSER_VIEWPORT", default="1920x1080")
# Keep each worker process's Chromium between runs; every run still gets a fresh browser context.
BROWSER_KEEP_ALIVE = env.bool("BROWSER_KEEP_ALIVE", default=True)
# Keep a Playwright trace of every browser run as an artifact (playwright show-trace).
BROWSER_TRACE = env.bool("BROWSER_TRACE", default=True)
# Add a screenshot film strip to the trace (its DOM snapshots already show every action).
BROWSER_TRACE_SCREENSHOTS = env.bool("BROWSER_TRACE_SCREENSHOTS", default=False)
# JPEG quality (1-100) of the live frames sent while someone watches a run.
BROWSER_FRAME_QUALITY = env.int("BROWSER_FRAME_QUALITY", default=60)

# HEALTH
# ------------------------------------------------------------------------------
HEALTH_CHECK_TIMEOUT_SECONDS = env.float("HEALTH_CHECK_TIMEOUT_SECONDS", default=2.0)
# While Redis or the database is unreachable, each outage is logged as one warning when it
# starts, a reminder at most this often (with the number of failures), and one line when over.
OUTAGE_REMINDER_SECONDS = env.float("OUTAGE_REMINDER_SECONDS", default=60.0)

# LOGGING
# ------------------------------------------------------------------------------
# "plain" text lines, or "json": one object a line with request, user, execution and step ids.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"LOG_FORMAT is {LOG_FORMAT!r}: use 'plain' (the default) or 'json' for one JSON object "
        "a line."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "apps.core.log_format.PortalJsonFormatter"},
    },
    "filters": {
        "not_ready": {"()": "apps.core.log_filters.NotReadyIsNotAnError"},
        # Masks the secrets of the runs executing in this process (the worker's runs).
        "run_secrets": {"()": "apps.core.log_masking.RunSecretsFilter"},
        # Request id, user, execution and step id of each line (the JSON format shows them).
        "context": {"()": "apps.core.log_context.LogContextFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["run_secrets", "context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        "django.channels.server": {"level": "WARNING"},
        # Their INFO lines are whole request URLs, query strings (and what they carry) included.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # Its start-up banner would open the output of every manage.py command; lock-outs and
        # repeated failures are warnings and stay.
        "axes.apps": {"level": "WARNING"},
        "django.request": {"filters": ["not_ready"]},
    },
}

# OPERATIONS: metrics, log format, retention (docs/operations.md)
# ------------------------------------------------------------------------------
# /metrics is closed (404) unless a bearer token or an address list opens it; with both set,
# a scraper needs both. Addresses are checked on the client address (TRUSTED_PROXIES applies).
METRICS_TOKEN = secret("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = ip_networks("METRICS_ALLOWED_IPS")
# Retention: each team's policy (Django admin, "Retention policies") or these defaults. Runs end
# in the history this many days after they finish, except the last RETENTION_KEEP_LAST_RUNS of
# each playbook; failed runs (and errors) stay longer; run files go sooner. 0 days: forever.
RETENTION_RUN_DAYS = env.int("RETENTION_RUN_DAYS", default=90)
RETENTION_KEEP_LAST_RUNS = env.int("RETENTION_KEEP_LAST_RUNS", default=20)
RETENTION_FAILED_RUN_DAYS = env.int("RETENTION_FAILED_RUN_DAYS", default=180)
RETENTION_ARTIFACT_DAYS = env.int("RETENTION_ARTIFACT_DAYS", default=30)
# Successful-login records (django-axes' access log) are kept this long; 0: forever.
RETENTION_LOGIN_LOG_DAYS = env.int("RETENTION_LOGIN_LOG_DAYS", default=180)
# Hourly: apply the retention policies (and drop expired JWTs and lock-out records).
CELERY_BEAT_SCHEDULE["executions-retention"] = {
    "task": "executions.apply_retention",
    "schedule": 3600.0,
}

# NOTIFICATIONS: rules, email and webhooks (docs/notifications.md)
# ------------------------------------------------------------------------------
# The portal's address as users reach it: notifications link to the run's page under it.
PORTAL_URL = env.str("PORTAL_URL", default="http://localhost:8000").rstrip("/")
# Email goes through Django's SMTP backend; the console backend prints messages instead.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# A delivery that fails on the network, a timeout or a 5xx answer is tried again this many
# times, waiting NOTIFICATION_RETRY_SECONDS, then twice as long each time (at most 10 minutes).
NOTIFICATION_MAX_RETRIES = env.int("NOTIFICATION_MAX_RETRIES", default=4)
NOTIFICATION_RETRY_SECONDS = env.float("NOTIFICATION_RETRY_SECONDS", default=10.0)
NOTIFICATION_TIMEOUT_SECONDS = env.float("NOTIFICATION_TIMEOUT_SECONDS", default=10.0)
# Hosts webhooks may name (``*.example.com`` for names under it); empty: any host.
NOTIFICATION_WEBHOOK_ALLOWED_HOSTS = env.list("NOTIFICATION_WEBHOOK_ALLOWED_HOSTS", default=[])
# The delivery log keeps each attempt this many days (purged with the run history); 0: forever.
NOTIFICATION_DELIVERY_RETENTION_DAYS = env.int("NOTIFICATION_DELIVERY_RETENTION_DAYS", default=90)
