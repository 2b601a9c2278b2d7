"""Module lifecycle over the 8.3 REST API (spec 4.1 step 3, 9.5) with .modl files built here."""

import pytest

from apps.simulator.modules import ModuleError, parse_modl

from .helpers import API, TOKEN, build_modl, client_for, make

MOD = "com.example.demo"


async def upload(client, data: bytes, name: str = "demo.modl"):
    return await client.post(
        f"{API}/modules/upload",
        params={"fileName": name},
        content=data,
        headers={**TOKEN, "Content-Type": "application/octet-stream"},
    )


async def healthy(client) -> dict:
    items = (await client.get(f"{API}/modules/healthy", headers=TOKEN)).json()["items"]
    return {m["id"]: m for m in items}


async def test_upload_accept_install_restart_active(client, gateway):
    uploaded = await upload(client, build_modl())
    cert = await client.get(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
    early = await client.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)
    accept_cert = await client.post(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
    repeat_cert = await client.post(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
    eula = await client.get(f"{API}/modules/eula?moduleId={MOD}", headers=TOKEN)
    no_eula_yet = await client.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)
    accept_eula = await client.post(f"{API}/modules/eula?moduleId={MOD}", headers=TOKEN)
    repeat_eula = await client.post(f"{API}/modules/eula?moduleId={MOD}", headers=TOKEN)
    install = await client.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)
    installed = (await healthy(client))[MOD]
    pending = (await client.get(f"{API}/restart-tasks/pending", headers=TOKEN)).json()

    assert uploaded.json() == {
        "moduleId": MOD,
        "containsCert": True,
        "certAccepted": False,
        "containsEula": True,
        "licenseAccepted": False,
    }
    assert cert.json()["serialNumber"].isdigit()
    assert cert.json()["accepted"] is False
    assert early.status_code == 400
    assert accept_cert.status_code == 200
    assert repeat_cert.status_code == 409
    assert repeat_cert.json() == {
        "message": "Module Certificate already accepted.",
        "url": "/data/api/v1/modules/certificate",
        "status": "409",
    }
    assert eula.json()["text"] == "Demo licence text"
    assert len(eula.json()["hash"]) == 64
    assert no_eula_yet.json()["message"] == "The module license has not been accepted."
    assert accept_eula.status_code == 200
    assert repeat_eula.status_code == 409
    assert install.json() == {"success": True, "message": "Module successfully installed."}
    assert installed["state"] == "INACTIVE"
    assert installed["version"] == "1.0.0"
    assert pending == {"pending": [f"Module 'Demo Module' ({MOD}) will be installed"]}

    gateway.restart()
    gateway.clock.advance(41)
    after = (await healthy(client))[MOD]
    assert after["state"] == "ACTIVE"
    assert after["startupTime"] == gateway.clock.epoch_ms(gateway.lifecycle.running_since)
    assert (await client.get(f"{API}/restart-tasks/pending", headers=TOKEN)).json() == {
        "pending": []
    }


async def test_accepted_certificate_and_eula_are_remembered_for_the_next_upload(client):
    await upload(client, build_modl())
    await client.post(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
    await client.post(f"{API}/modules/eula?moduleId={MOD}", headers=TOKEN)

    again = await upload(client, build_modl(version="1.0.1"))

    assert again.json()["certAccepted"] is True
    assert again.json()["licenseAccepted"] is True


async def test_upgrade_keeps_the_old_version_until_restart(client, gateway):
    perspective = "com.inductiveautomation.perspective"
    data = build_modl(perspective, "Perspective", "3.3.7", eula=None)
    await upload(client, data)
    await client.post(f"{API}/modules/certificate?moduleId={perspective}", headers=TOKEN)
    await client.post(f"{API}/modules/install?moduleId={perspective}", headers=TOKEN)
    before = (await healthy(client))[perspective]

    gateway.restart()
    gateway.clock.advance(41)
    after = (await healthy(client))[perspective]

    assert before["shouldUpgrade"] is True
    assert before["version"] == "3.3.6 (b2026042713)"
    assert before["state"] == "ACTIVE"
    assert after["shouldUpgrade"] is False
    assert after["version"] == "3.3.7"


async def test_uninstall_and_toggle_take_effect_after_restart(client, gateway):
    opcua, vision = "com.inductiveautomation.opcua", "com.inductiveautomation.vision"
    removed = await client.delete(f"{API}/modules/uninstall?moduleId={opcua}", headers=TOKEN)
    toggled = await client.put(
        f"{API}/modules/toggle-state", json={"disable": [vision], "enable": []}, headers=TOKEN
    )
    still_there = await healthy(client)

    gateway.restart()
    gateway.clock.advance(41)
    after = await healthy(client)

    assert removed.json()["success"] is True
    assert toggled.status_code == 200
    assert opcua in still_there
    assert opcua not in after
    assert (after[vision]["state"], after[vision]["onStartup"]) == ("INACTIVE", "disabled")
    assert after[vision]["startupTime"] is None


@pytest.mark.parametrize(
    ("_case", "method", "url", "kwargs", "status"),
    [
        ("unknown uninstall", "DELETE", "/modules/uninstall?moduleId=nope", {}, 404),
        ("missing module id", "POST", "/modules/install", {}, 400),
        ("unknown upload", "GET", "/modules/certificate?moduleId=nope", {}, 404),
        ("unknown eula", "POST", "/modules/eula?moduleId=nope", {}, 404),
        ("toggle unknown", "PUT", "/modules/toggle-state", {"json": {"enable": ["x"]}}, 404),
        ("toggle not lists", "PUT", "/modules/toggle-state", {"json": {"enable": "x"}}, 400),
        ("toggle not json", "PUT", "/modules/toggle-state", {"content": b"x"}, 415),
        (
            "toggle broken json",
            "PUT",
            "/modules/toggle-state",
            {"content": b"{", "headers": {"Content-Type": "application/json"}},
            400,
        ),
        ("toggle array", "PUT", "/modules/toggle-state", {"json": []}, 400),
    ],
)
async def test_module_errors(client, _case, method, url, kwargs, status):
    headers = {**TOKEN, **kwargs.pop("headers", {})}
    response = await client.request(method, f"{API}{url}", headers=headers, **kwargs)

    assert response.status_code == status
    assert response.json()["status"] == str(status)


async def test_upload_rejects_bad_files(client):
    not_zip = await upload(client, b"not a zip")
    no_id = await upload(
        client, build_modl(xml="<modules><module><name>x</name></module></modules>")
    )
    wrong_name = await upload(client, build_modl(), name="demo.zip")

    assert not_zip.status_code == 400
    assert not_zip.json()["message"].startswith("Invalid module file")
    assert (
        no_id.json()["message"]
        == "Invalid module file: module.xml needs module/id, name and version"
    )
    assert wrong_name.status_code == 400


async def test_unsigned_allowed_installs_without_acceptance():
    app, gateway = make(allow_unsigned_modules=True)
    async with client_for(app) as http:
        uploaded = await upload(http, build_modl(signed=False, eula=None))
        cert = await http.get(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
        eula = await http.get(f"{API}/modules/eula?moduleId={MOD}", headers=TOKEN)
        accept = await http.post(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
        install = await http.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)
        info = (await http.get(f"{API}/gateway-info", headers=TOKEN)).json()

    assert uploaded.json()["containsCert"] is False
    assert uploaded.json()["certAccepted"] is True
    assert (cert.status_code, eula.status_code, accept.status_code) == (404, 404, 404)
    assert install.status_code == 200
    assert gateway.modules.installed[MOD].selfSigned is True
    assert info["allowUnsignedModules"] is True


def test_parse_modl_reads_module_xml_fields():
    module = parse_modl(build_modl(eula=""))

    assert (module.id, module.name, module.version) == (MOD, "Demo Module", "1.0.0")
    assert module.signed is True
    assert module.eula == b""
    assert module.free is False


def test_licence_named_but_missing_counts_as_an_empty_eula():
    xml = (
        "<modules><module><id>a.b</id><name>A</name><version>1</version>"
        "<license>missing.html</license></module></modules>"
    )
    assert parse_modl(build_modl(xml=xml, eula=None)).eula == b""
    with pytest.raises(ModuleError):
        parse_modl(build_modl(xml="<modules><module>"))


async def test_quarantine_is_empty_and_eula_404s_without_a_licence(client):
    await upload(client, build_modl(eula=None))

    quarantined = (await client.get(f"{API}/modules/quarantined", headers=TOKEN)).json()
    accept = await client.post(f"{API}/modules/eula?moduleId={MOD}", headers=TOKEN)

    assert quarantined == {
        "items": [],
        "metadata": {"total": 0, "matching": 0, "limit": -1, "offset": 0},
    }
    assert accept.status_code == 404
    assert accept.json()["message"] == f"Module {MOD} has no license."
