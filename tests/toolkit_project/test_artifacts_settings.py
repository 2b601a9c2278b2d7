"""ARTIFACTS_STORAGE_URL: the local data folder when empty, an S3-compatible store otherwise;
a mistake stops the start with a message that says what to write."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from toolkit_project.settings.artifacts import LOCAL_BACKEND, S3_BACKEND, artifacts_storage


def test_empty_means_the_local_data_folder():
    assert artifacts_storage("") == {"BACKEND": LOCAL_BACKEND}
    assert artifacts_storage("  ") == {"BACKEND": LOCAL_BACKEND}


def test_an_s3_url_names_bucket_folder_endpoint_region_and_keys():
    url = "s3://plant-artifacts/portal?endpoint=http://objects:8333&region=eu-west-1"

    entry = artifacts_storage(url, access_key="AK", secret_key="SK")

    options = entry["OPTIONS"]
    assert entry["BACKEND"] == S3_BACKEND
    assert (options["bucket_name"], options["location"]) == ("plant-artifacts", "portal")
    assert (options["endpoint_url"], options["region_name"]) == ("http://objects:8333", "eu-west-1")
    assert (options["access_key"], options["secret_key"]) == ("AK", "SK")
    assert options["client_config"].s3 == {"addressing_style": "path"}


def test_without_keys_or_endpoint_the_sdk_defaults_apply():
    options = artifacts_storage("s3://bucket?addressing=virtual")["OPTIONS"]

    assert (options["access_key"], options["secret_key"], options["endpoint_url"]) == (None,) * 3
    assert options["addressing_style"] == "virtual"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/srv/artifacts", "it must start with s3:// and name a bucket"),
        ("s3://", "it must start with s3:// and name a bucket"),
        ("s3://b?endpoint=objects:8333", "give an http:// or https:// address"),
        ("s3://b?bucket=x&secret=y", "unknown option(s) bucket, secret (known: addressing"),
        ("s3://b?addressing=dns", "use path (the default) or virtual"),
    ],
)
def test_a_wrong_url_says_what_to_write(url, problem):
    with pytest.raises(ImproperlyConfigured) as refused:
        artifacts_storage(url)

    assert problem in str(refused.value)
    assert "ARTIFACTS_STORAGE_URL=s3://portal-artifacts?endpoint=" in str(refused.value)
