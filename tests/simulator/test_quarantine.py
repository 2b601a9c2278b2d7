"""Unsigned modules on a gateway that does not allow them: installed, then quarantined."""

from .helpers import API, TOKEN, build_modl
from .test_modules import MOD, healthy, upload


async def quarantined(client) -> dict:
    items = (await client.get(f"{API}/modules/quarantined", headers=TOKEN)).json()["items"]
    return {m["id"]: m for m in items}


async def test_an_unsigned_module_installs_into_quarantine(client, gateway):
    uploaded = await upload(client, build_modl(signed=False, eula=None))
    install = await client.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)
    gateway.restart()
    gateway.clock.advance(60)

    assert uploaded.status_code == 200
    assert (uploaded.json()["containsCert"], uploaded.json()["certAccepted"]) == (False, False)
    assert install.json() == {"success": True, "message": "Module successfully installed."}
    assert MOD not in await healthy(client)
    entry = (await quarantined(client))[MOD]
    assert (entry["name"], entry["version"], entry["collection"]) == (
        "Demo Module",
        "1.0.0",
        "quarantined",
    )
    assert entry["certAccepted"] is False


async def test_a_signed_module_without_a_certificate_is_quarantined_too(client):
    await upload(client, build_modl(certificate=False, eula=None))
    await client.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)

    assert MOD in await quarantined(client)


async def test_quarantine_filters_like_every_list(client):
    await upload(client, build_modl(signed=False, eula=None))
    await client.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)

    url = f"{API}/modules/quarantined?id[eq]=com.other"
    page = (await client.get(url, headers=TOKEN)).json()

    assert (page["items"], page["metadata"]["total"]) == ([], 1)
