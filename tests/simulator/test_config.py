"""Configuration, seed files and version strings (spec 9.1)."""

import json

import pytest

from apps.simulator.app import create_app
from apps.simulator.config import ConfigError, SimConfig, build_config, normalise_version

from .helpers import API, client_for


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("8.3.6", "8.3.6"),
        ("8.3.x", "8.3.6"),
        ("8.1.x", "8.1.48"),
        ("8.1", "8.1.48"),
        ("8.1.17", "8.1.17"),
    ],
)
def test_versions(given, expected):
    assert normalise_version(given) == expected


@pytest.mark.parametrize(
    "values",
    [
        {"version": "7.9.21"},
        {"error_style": "xml"},
        {"restart_style": "gentle"},
        {"trial_reset_81": "never"},
        {"time_scale": 0},
    ],
)
def test_invalid_values(values):
    with pytest.raises(ConfigError):
        SimConfig(**values)


def test_seed_file_values_and_overrides(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "gateway_name": "Plant-GW",
                "tokens": [{"name": "ci", "secret": "s3", "read": True, "write": False}],
                "projects": [{"name": "Seeded", "title": "From seed"}],
                "tags": {"edge": {"path": "", "tags": [{"name": "T"}]}},
            }
        )
    )

    config = build_config(str(seed), version="8.1.x", time_scale=None)

    assert config.gateway_name == "Plant-GW"
    assert config.version == "8.1.48"
    assert config.time_scale == 1.0
    assert config.tokens[0].name == "ci"


async def test_seeded_data_is_served(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "tokens": [{"name": "ci", "secret": "s3", "read": True, "write": False}],
                "projects": [{"name": "Seeded", "title": "From seed"}],
                "tags": {"edge": {"path": "", "tags": [{"name": "T"}]}},
            }
        )
    )
    app = create_app(build_config(str(seed)))
    headers = {"X-Ignition-API-Token": "ci:s3"}

    async with client_for(app) as http:
        names = (await http.get(f"{API}/projects/names", headers=headers)).json()["items"]
        tags = (await http.get(f"{API}/tags/export?provider=edge", headers=headers)).json()
        write = await http.post(f"{API}/scan/projects", headers=headers)

    assert "Seeded" in names
    assert tags == {"path": "", "tags": [{"name": "T"}]}
    assert write.status_code == 403


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "cannot read seed file"),
        ("[]", "must hold a JSON object"),
        ('{"colour": 1}', "unknown keys: colour"),
    ],
)
def test_bad_seed_files(tmp_path, content, message):
    seed = tmp_path / "seed.json"
    seed.write_text(content)

    with pytest.raises(ConfigError, match=message):
        build_config(str(seed))


def test_missing_seed_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read seed file"):
        build_config(str(tmp_path / "absent.json"))
