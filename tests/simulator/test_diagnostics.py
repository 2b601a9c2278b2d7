"""Diagnostics bundle, logger levels and scan/config; no invented logout route."""

import io
import zipfile

from .helpers import API, TOKEN, web_login

BUNDLE = f"{API}/diagnostics/bundle"
ENTRIES = {
    "gateway-network-live-diagram.json",
    "jetty-server-dump.txt",
    "thread-dump.json",
    "gateway-info.json",
    "system_logs.idb",
    "metrics.idb",
}


async def test_a_bundle_goes_invalid_generating_valid_then_downloads(client, gateway):
    before = (await client.get(f"{BUNDLE}/status", headers=TOKEN)).json()
    early = await client.get(f"{BUNDLE}/download", headers=TOKEN)
    generate = await client.post(f"{BUNDLE}/generate", headers=TOKEN)
    during = (await client.get(f"{BUNDLE}/status", headers=TOKEN)).json()
    gateway.clock.advance(30)
    after = (await client.get(f"{BUNDLE}/status", headers=TOKEN)).json()
    download = await client.get(f"{BUNDLE}/download", headers=TOKEN)

    assert before == {"state": "Invalid"}
    assert early.status_code == 404
    assert generate.status_code == 200
    assert during["state"] == "Generating"
    assert after["state"] == "Valid"
    assert after["fileSize"] == len(download.content)
    assert set(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == ENTRIES


async def test_logger_levels_are_set_listed_and_reset(client):
    url = f"{API}/logs/loggers"
    first = (await client.get(url, headers=TOKEN)).json()
    name = first["items"][0]["name"]
    changed = await client.post(f"{url}/{name}?level=DEBUG", headers=TOKEN)
    one = (await client.get(url, params={"name[eq]": name}, headers=TOKEN)).json()
    bad = await client.post(f"{url}/{name}?level=LOUD", headers=TOKEN)
    reset = await client.post(f"{API}/logs/levelreset", headers=TOKEN)
    again = (await client.get(url, params={"name[eq]": name}, headers=TOKEN)).json()

    assert set(first["items"][0]) == {"name", "level", "context"}
    assert changed.status_code == 200
    assert one["items"][0]["level"] == "DEBUG"
    assert bad.status_code == 400
    assert reset.status_code == 200
    assert again["items"][0]["level"] == "INFO"


async def test_scan_config_is_a_route(client):
    assert (await client.get(f"{API}/scan/config", headers=TOKEN)).status_code == 200
    assert (await client.post(f"{API}/scan/config", headers=TOKEN)).json() == {"success": True}


async def test_there_is_no_logout_route(client):
    await web_login(client)

    answer = await client.get("/data/app/logout")

    assert answer.status_code == 404
    assert (await client.get("/data/app/session")).status_code == 200
