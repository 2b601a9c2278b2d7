"""Info routes, backup/restore, tags, logs, resources and /openapi.json (spec 1.2, 5.2, 9.5)."""

import io
import json
import sqlite3
import tempfile
import zipfile

from .helpers import API, TOKEN, client_for, make


async def test_overview_family(client, gateway):
    gateway.clock.advance(12)
    overview = (await client.get(f"{API}/overview", headers=TOKEN)).json()
    name = (await client.get(f"{API}/overview/name", headers=TOKEN)).json()
    gan = await client.get(f"{API}/overview/gan", headers=TOKEN)
    problems = (await client.get(f"{API}/overview/problems", headers=TOKEN)).json()
    connections = await client.get(f"{API}/overview/connections", headers=TOKEN)
    licenses = (await client.get(f"{API}/licenses", headers=TOKEN)).json()
    gauges = (await client.get(f"{API}/systemPerformance/currentGauges", headers=TOKEN)).json()
    gateway.expire_trial()
    expired = (await client.get(f"{API}/overview/problems", headers=TOKEN)).json()

    assert overview["uptime"] == 12000
    assert overview["license"] == {"state": "trial", "trialRemaining": 7200 - 12}
    assert overview["version"] == "8.3.6 (b2026042713)"
    assert name == {"name": "Ignition-simulator"}
    assert (gan.status_code, connections.status_code) == (200, 200)
    assert problems["items"] == []
    assert licenses["mode"] == "Trial"
    assert set(gauges) == {"cpu", "heapMemory", "maxMemory"}
    assert expired["items"][0]["title"] == "Trial expired"


async def test_backup_is_a_streamed_gwbk_with_the_83_layout(client):
    response = await client.get(f"{API}/backup", headers=TOKEN)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()

    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="Ignition-simulator_8.3.6_'
    )
    assert response.headers["content-disposition"].endswith('.gwbk"')
    assert b"<version>8.3.6</version><edition>standard</edition>" in archive.read("backupinfo.xml")
    assert {"ignition.conf", "redundancy.xml", "projects/SimDemo/project.json"} <= set(names)
    assert "config/resources/core/ignition/api-token/simulator/config.json" in names
    assert "db_backup_sqlite.idb" not in names


async def test_restore_replaces_projects_and_restarts(client, gateway):
    backup = (await client.get(f"{API}/backup", headers=TOKEN)).content
    await client.post(f"{API}/projects", json={"name": "Temp"}, headers=TOKEN)

    restored = await client.post(f"{API}/backup", content=backup, headers=TOKEN)
    names = [p.name for p in gateway.projects.all()]
    during = (await client.get("/StatusPing")).json()
    gateway.clock.advance(41)

    assert restored.json() == {
        "success": True,
        "message": "Backup restored; the gateway is restarting.",
    }
    assert names == ["SecureDemo", "SimDemo"]
    assert during == {"state": "RUNNING"}
    assert gateway.lifecycle.restarts == 1
    assert (await client.get(f"{API}/gateway-info", headers=TOKEN)).status_code == 200


async def test_restore_can_wipe_tokens_and_delay():
    app, gateway = make(restore_wipes_tokens=True, restore_delay_s=0.001)
    async with client_for(app) as http:
        backup = (await http.get(f"{API}/backup", headers=TOKEN)).content
        await http.post(f"{API}/backup", content=backup, headers=TOKEN)
        gateway.clock.advance(41)
        after = await http.get(f"{API}/gateway-info", headers=TOKEN)

    assert after.status_code == 401


async def test_restore_rejects_a_non_backup(client):
    not_zip = await client.post(f"{API}/backup", content=b"nope", headers=TOKEN)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("backupinfo.xml", "<backupinfo></backupinfo>")
    no_version = await client.post(f"{API}/backup", content=buffer.getvalue(), headers=TOKEN)

    assert not_zip.status_code == 400
    assert not_zip.json()["message"].startswith("Not a gateway backup")
    assert no_version.json()["message"] == "Not a gateway backup: backupinfo.xml has no version"


async def test_81_backup_has_the_sqlite_database():
    app, _ = make(version="8.1.x")
    gateway = app.state.gateway
    from apps.simulator import backups

    archive = zipfile.ZipFile(io.BytesIO(backups.build(gateway)))
    with tempfile.NamedTemporaryFile(suffix=".idb") as handle:
        handle.write(archive.read("db_backup_sqlite.idb"))
        handle.flush()
        tables = sqlite3.connect(handle.name).execute("SELECT name FROM sqlite_master").fetchall()

    assert sorted(t[0] for t in tables) == ["CERTIFICATES", "EULAS"]
    assert not any(n.startswith("config/") for n in archive.namelist())
    assert backups.read(backups.build(gateway)).resources is None


async def test_tags_export_and_import(client):
    exported = (
        await client.get(f"{API}/tags/export?provider=default&type=json", headers=TOKEN)
    ).json()
    sub = (await client.get(f"{API}/tags/export?path=Line1&recursive=false", headers=TOKEN)).json()
    xml = await client.get(f"{API}/tags/export?type=xml", headers=TOKEN)
    missing = await client.get(f"{API}/tags/export?provider=nope", headers=TOKEN)
    missing_path = await client.get(f"{API}/tags/export?path=Nope", headers=TOKEN)
    body = json.dumps({"tags": [{"name": "Status", "tagType": "AtomicTag", "value": False}]})

    async def post(policy, content=body, extra=""):
        url = f"{API}/tags/import?provider=default&type=json&collisionPolicy={policy}{extra}"
        return await client.post(url, content=content, headers=TOKEN)

    abort = await post("Abort")
    ignore = (await post("Ignore")).json()
    rename = (await post("Rename")).json()
    rename_twice = (await post("Rename")).json()
    merge = (await post("MergeOverwrite")).json()
    overwrite = (await post("Overwrite")).json()
    nested = (await post("Abort", json.dumps({"tags": [{"name": "New"}]}), "&path=Line1")).json()
    fresh = await client.post(f"{API}/tags/import?provider=edge", content=body, headers=TOKEN)
    bad_policy = await post("Sometimes")
    bad_json = await post("Abort", "{")
    bad_shape = await post("Abort", "[]")
    csv = await client.post(f"{API}/tags/import?type=csv", content="a,b", headers=TOKEN)
    after = (await client.get(f"{API}/tags/export", headers=TOKEN)).json()

    assert exported["tags"][0] == {
        "name": "Status",
        "tagType": "AtomicTag",
        "dataType": "Boolean",
        "value": True,
    }
    assert [t["name"] for t in sub["tags"]] == ["Speed", "Count"]
    assert "tags" not in sub["tags"][0]
    assert '<Tag name="Line1" type="Folder">' in xml.text
    assert (missing.status_code, missing_path.status_code) == (404, 404)
    assert (abort.status_code, abort.json()["failureCount"]) == (200, 1)
    assert ignore == {"successCount": 0, "failureCount": 0, "failures": []}
    assert rename["successCount"] == rename_twice["successCount"] == 1
    assert merge["successCount"] == overwrite["successCount"] == nested["successCount"] == 1
    assert fresh.status_code == 200
    assert (bad_policy.status_code, bad_json.status_code, bad_shape.status_code) == (400, 400, 400)
    assert csv.status_code == 415
    names = [t["name"] for t in after["tags"]]
    assert names == ["Line1", "Status_1", "Status_2", "Status"]
    assert after["tags"][-1]["value"] is False


async def test_logs_and_log_download(client, gateway):
    await client.post(f"{API}/scan/projects", headers=TOKEN)
    gateway.log.add("gateway.Other", "boom", "ERROR")
    everything = (await client.get(f"{API}/logs", headers=TOKEN)).json()
    errors = (await client.get(f"{API}/logs?minLevel=error", headers=TOKEN)).json()
    by_logger = (await client.get(f"{API}/logs?logger=projects", headers=TOKEN)).json()
    window = (await client.get(f"{API}/logs?startTime=0&endTime=1", headers=TOKEN)).json()
    bad = await client.get(f"{API}/logs?startTime=yesterday", headers=TOKEN)
    download = await client.get(f"{API}/logs/download", headers=TOKEN)

    assert everything["items"][0]["message"] == "boom"
    assert set(everything["items"][0]) == {"timestamp", "loggerName", "level", "message", "mdc"}
    assert [e["message"] for e in errors["items"]] == ["boom"]
    assert by_logger["items"][0]["message"] == "Project scan requested"
    assert window["items"] == []
    assert bad.status_code == 400
    assert download.headers["content-type"] == "application/x-sqlite3"
    assert download.content.startswith(b"SQLite format 3")


async def test_resources_crud_with_signatures(client):
    base = f"{API}/resources"
    item = {"name": "plant", "config": {"driver": "postgres"}}
    created = await client.post(f"{base}/ignition/database-connection", json=[item], headers=TOKEN)
    duplicate = await client.post(
        f"{base}/ignition/database-connection", json=[item], headers=TOKEN
    )
    invalid = await client.post(
        f"{base}/ignition/database-connection", json=[{"x": 1}], headers=TOKEN
    )
    found = (
        await client.get(f"{base}/find/ignition/database-connection/plant", headers=TOKEN)
    ).json()
    names = (await client.get(f"{base}/names/ignition/database-connection", headers=TOKEN)).json()
    listed = (await client.get(f"{base}/list/ignition/database-connection", headers=TOKEN)).json()
    no_sig = await client.put(f"{base}/ignition/database-connection", json=[item], headers=TOKEN)
    stale = await client.put(
        f"{base}/ignition/database-connection", json=[{**item, "signature": "old"}], headers=TOKEN
    )
    unknown = await client.put(
        f"{base}/ignition/database-connection",
        json=[{"name": "x", "config": {}, "signature": "s"}],
        headers=TOKEN,
    )
    modified = await client.put(
        f"{base}/ignition/database-connection",
        json=[{**item, "config": {"driver": "mssql"}, "signature": found["signature"]}],
        headers=TOKEN,
    )
    new_sig = modified.json()["changes"][0]["signature"]
    wrong_delete = await client.delete(
        f"{base}/ignition/database-connection/plant/{found['signature']}", headers=TOKEN
    )
    deleted = await client.delete(
        f"{base}/ignition/database-connection/plant/{new_sig}", headers=TOKEN
    )
    singleton = (
        await client.get(f"{base}/singleton/ignition/security-properties", headers=TOKEN)
    ).json()
    not_singleton = await client.get(f"{base}/singleton/ignition/api-token", headers=TOKEN)
    described = (await client.get(f"{base}/type/ignition/api-token", headers=TOKEN)).json()
    unknown_type = await client.get(f"{base}/list/ignition/nothing", headers=TOKEN)

    assert created.json()["changes"][0]["name"] == "plant"
    assert duplicate.status_code == 409
    assert invalid.status_code == 422
    assert invalid.json() == {
        "messages": ["Each resource needs a name and a config."],
        "fieldMessages": [],
    }
    assert found["config"] == {"driver": "postgres"}
    assert names["items"] == ["plant"]
    assert listed["metadata"]["total"] == 1
    assert no_sig.status_code == 400
    assert stale.status_code == 500
    assert unknown.status_code == 404
    assert modified.status_code == 200
    assert wrong_delete.status_code == 409
    assert deleted.status_code == 200
    assert singleton["config"]["readPermissions"]["securityLevels"] == [
        "Authenticated/Roles/Administrator"
    ]
    assert not_singleton.status_code == 404
    assert described == {"id": "ignition/api-token", "singleton": False, "properties": ["config"]}
    assert unknown_type.status_code == 404


async def test_deleting_the_token_resource_revokes_it(client):
    base = f"{API}/resources/ignition/api-token"
    token = (
        await client.get(f"{API}/resources/find/ignition/api-token/simulator", headers=TOKEN)
    ).json()

    deleted = await client.delete(f"{base}/simulator/{token['signature']}", headers=TOKEN)

    assert deleted.status_code == 200
    assert (await client.get(f"{API}/gateway-info", headers=TOKEN)).status_code == 401


async def test_openapi_is_built_from_the_route_table(client):
    anonymous = await client.get("/openapi.json")
    document = (await client.get("/openapi.json", headers=TOKEN)).json()
    page = await client.get("/openapi")

    assert anonymous.status_code == 401
    assert document["info"] == {"title": "Ignition HTTP API", "version": "1.0.0"}
    assert set(document["paths"]["/data/api/v1/backup"]) == {"get", "post"}
    assert (
        document["paths"]["/data/api/v1/projects/find/{name}"]["get"]["parameters"][0]["name"]
        == "name"
    )
    assert "security" not in document["paths"]["/data/api/v1/trial"]["get"]
    assert "/data/api/v1/modules/upload" in page.text


async def test_missing_resource_is_404(client):
    response = await client.get(f"{API}/resources/find/ignition/api-token/ghost", headers=TOKEN)

    assert response.status_code == 404
    assert response.json()["message"] == "Resource 'ghost' of type 'ignition/api-token' not found."
