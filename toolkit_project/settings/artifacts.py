"""Where run artifacts are kept: the ``artifacts`` entry of ``STORAGES``.

Empty ``ARTIFACTS_STORAGE_URL``: the local data folder (``ARTIFACTS_ROOT``), as on a single
machine. ``s3://bucket?endpoint=http://host:port&region=us-east-1``: an S3-compatible object
store (MinIO, SeaweedFS, AWS S3 ...) that every web and worker host reaches.
"""

from urllib.parse import parse_qs, urlsplit

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "apps.executions.artifact_store.LocalArtifactStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
QUERY_KEYS = frozenset({"endpoint", "region", "addressing"})
EXAMPLE = "s3://portal-artifacts?endpoint=http://objects:8333&region=us-east-1"


def _refuse(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"ARTIFACTS_STORAGE_URL {problem}. Leave it empty for the local data folder, or give "
        f"an S3-compatible store, e.g. ARTIFACTS_STORAGE_URL={EXAMPLE}."
    )


def artifacts_storage(url: str, *, access_key: str = "", secret_key: str = "") -> dict:
    """The ``STORAGES["artifacts"]`` entry for ``url`` (and the store's access key)."""
    if not url.strip():
        return {"BACKEND": LOCAL_BACKEND}
    options = _store_options(url.strip())
    options.update(access_key=access_key or None, secret_key=secret_key or None)
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def _store_options(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise _refuse(f"is {url!r}: it must start with s3:// and name a bucket")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - QUERY_KEYS)
    if unknown:
        known = ", ".join(sorted(QUERY_KEYS))
        raise _refuse(f"has unknown option(s) {', '.join(unknown)} (known: {known})")
    endpoint, addressing = query.get("endpoint", ""), query.get("addressing", "path")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise _refuse(f"has endpoint {endpoint!r}: give an http:// or https:// address")
    if addressing not in ("path", "virtual"):
        raise _refuse(f"has addressing={addressing!r}: use path (the default) or virtual")
    return {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "endpoint_url": endpoint or None,
        "region_name": query.get("region") or None,
        "addressing_style": addressing,
        "signature_version": "s3v4",
        "file_overwrite": True,
        "default_acl": None,
        "client_config": _client_config(addressing),
    }


def _client_config(addressing: str) -> Config:
    """Path-style requests by default (what MinIO and SeaweedFS answer without wildcard DNS
    names); a store that is down fails an upload or a page in seconds, not after long retries."""
    return Config(
        s3={"addressing_style": addressing},
        signature_version="s3v4",
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 2, "mode": "standard"},
    )
