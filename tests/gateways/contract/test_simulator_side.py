"""The simulator answers every recorded fact with the same status and shape."""

import json

import pytest

from tests.simulator.helpers import API, TOKEN, build_modl, client_for, make

from .facts import facts, shape_errors

AUTH = {
    "token": TOKEN,
    "none": {},
    "anonymous": {},
    "bare_secret": {"X-Ignition-API-Token": "simulator-secret"},
}
MOD = "com.example.demo"


async def _upload(http, data: bytes) -> None:
    headers = {**TOKEN, "Content-Type": "application/octet-stream"}
    await http.post(f"{API}/modules/upload?fileName=demo.modl", content=data, headers=headers)


async def _setup(name: str | None, http, gateway) -> None:
    if name == "upload_unsigned":
        await _upload(http, build_modl(signed=False, eula=None))
    if name in ("upload_signed_accepted", "install_signed"):
        await _upload(http, build_modl(eula=None))
        await http.post(f"{API}/modules/certificate?moduleId={MOD}", headers=TOKEN)
    if name == "install_signed":
        await http.post(f"{API}/modules/install?moduleId={MOD}", headers=TOKEN)
    if name == "bundle_valid":
        await http.post(f"{API}/diagnostics/bundle/generate", headers=TOKEN)
        gateway.clock.advance(60)


async def _body(name: str | None, http) -> dict:
    if name == "unsigned_modl":
        return {"content": build_modl(signed=False, eula=None)}
    if name == "project_zip":
        exported = await http.get(f"{API}/projects/export/SimDemo", headers=TOKEN)
        return {"content": exported.content, "headers": {"Content-Type": "application/zip"}}
    if name == "colliding_tags":
        tags = {"tags": [{"name": "Status", "tagType": "AtomicTag"}]}
        return {
            "content": json.dumps(tags),
            "headers": {"Content-Type": "application/octet-stream"},
        }
    return {}


@pytest.mark.parametrize("name", sorted(facts()))
async def test_the_simulator_answers_like_the_recorded_gateway(name):
    fact = facts()[name]
    request, expected = fact["request"], fact["response"]
    app, gateway = make(version=fact["version"])
    async with client_for(app) as http:
        await _setup(request.get("setup"), http, gateway)
        extra = await _body(request.get("body"), http)
        headers = {**AUTH[request["auth"]], **extra.pop("headers", {})}
        if "json" in request:
            extra["json"] = request["json"]
        answer = await http.request(
            request["method"],
            request["path"],
            params=request.get("query"),
            headers=headers,
            **extra,
        )

    assert answer.status_code == expected["status"], answer.text[:300]
    if "body" not in expected:
        return
    if expected.get("content_type", "application/json").startswith("text/"):
        assert shape_errors(_pairs(expected["body"]), _pairs(answer.text)) == []
        return
    assert shape_errors(expected["body"], answer.json()) == []


def _pairs(line: str) -> dict:
    items = (item.partition("=") for item in line.strip().split(";") if item)
    return {key: value for key, _, value in items}
