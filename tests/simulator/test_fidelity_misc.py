"""Live-recorded details: partial resource PUTs, stale signatures, tree-shaped security
levels, overview.processId and the project import acknowledgement."""

import io
import zipfile

from .helpers import API, TOKEN, client_for, make

DB = f"{API}/resources/ignition/database-connection"
SECURITY = f"{API}/resources/ignition/security-properties"


async def create_plant(client) -> dict:
    item = {"name": "plant", "config": {"driver": "postgres"}}
    await client.post(DB, json=[item], headers=TOKEN)
    return (
        await client.get(f"{API}/resources/find/ignition/database-connection/plant", headers=TOKEN)
    ).json()


async def test_a_partial_put_keeps_the_config_and_gives_a_new_signature(client):
    found = await create_plant(client)
    partial = [{"name": "plant", "description": "Plant DB", "signature": found["signature"]}]

    answer = await client.put(DB, json=partial, headers=TOKEN)
    after = (
        await client.get(f"{API}/resources/find/ignition/database-connection/plant", headers=TOKEN)
    ).json()

    assert answer.status_code == 200
    assert after["config"] == {"driver": "postgres"}
    assert after["description"] == "Plant DB"
    assert after["signature"] == answer.json()["changes"][0]["signature"] != found["signature"]


async def test_a_stale_signature_answers_500(client):
    await create_plant(client)
    stale = [{"name": "plant", "config": {}, "signature": "old"}]

    answer = await client.put(DB, json=stale, headers=TOKEN)

    assert answer.status_code == 500


async def test_tree_shaped_security_levels_do_not_break_token_checks(client):
    current = (
        await client.get(f"{API}/resources/singleton/ignition/security-properties", headers=TOKEN)
    ).json()
    tree = [
        {
            "name": "Authenticated",
            "children": [
                {"name": "Roles", "children": [{"name": "Administrator", "children": []}]}
            ],
        }
    ]
    config = {
        key: {"type": "AnyOf", "securityLevels": tree}
        for key in ("readPermissions", "writePermissions")
    }
    body = [{"name": "security-properties", "config": config, "signature": current["signature"]}]

    changed = await client.put(SECURITY, json=body, headers=TOKEN)
    read = await client.get(f"{API}/gateway-info", headers=TOKEN)
    write = await client.post(f"{API}/scan/projects", headers=TOKEN)

    assert changed.status_code == 200
    assert (read.status_code, write.status_code) == (200, 200)


async def test_overview_has_a_process_id_that_survives_a_restart(client, gateway):
    before = (await client.get(f"{API}/overview", headers=TOKEN)).json()
    gateway.restart()
    gateway.clock.advance(60)
    after = (await client.get(f"{API}/overview", headers=TOKEN)).json()

    assert isinstance(before["processId"], int)
    assert after["processId"] == before["processId"]


async def test_a_project_import_is_acknowledged_with_success(client):
    exported = await client.get(f"{API}/projects/export/SimDemo", headers=TOKEN)
    headers = {**TOKEN, "Content-Type": "application/zip"}

    answer = await client.post(
        f"{API}/projects/import/Copy", content=exported.content, headers=headers
    )

    assert answer.json()["success"] is True


async def test_a_realistic_backup_has_a_real_backups_size_and_restores():
    app, gateway = make(realistic_backup=True)
    async with client_for(app) as http:
        backup = await http.get(f"{API}/backup", headers=TOKEN)
        restored = await http.post(
            f"{API}/backup",
            content=backup.content,
            headers={**TOKEN, "Content-Type": "application/octet-stream"},
        )

    names = zipfile.ZipFile(io.BytesIO(backup.content)).namelist()
    assert len(names) >= 1590
    assert len(backup.content) > 3_000_000
    assert "content-length" not in backup.headers  # streamed in chunks
    assert restored.status_code == 200
    assert {p.name for p in gateway.projects.all()} >= {"SimDemo", "SecureDemo"}
