"""Tag export/import as real 8.3 gateways answer it: absent on 8.3.0, failures with a 200."""

import json

import pytest

from .helpers import API, TOKEN, client_for, make

OCTET = {**TOKEN, "Content-Type": "application/octet-stream"}
STATUS = json.dumps({"tags": [{"name": "Status", "tagType": "AtomicTag", "value": False}]})


@pytest.mark.parametrize(("method", "path"), [("GET", "tags/export"), ("POST", "tags/import")])
async def test_830_has_no_tag_api(method, path):
    app, _ = make(version="8.3.0")
    async with client_for(app) as http:
        answer = await http.request(method, f"{API}/{path}", headers=TOKEN)

    assert answer.status_code == 404
    assert answer.json()["message"] == f"No route match for path: /v1/{path}"


async def test_a_collision_under_abort_answers_200_with_the_failures():
    app, gateway = make(version="8.3.9")
    async with client_for(app) as http:
        url = f"{API}/tags/import?provider=default&type=json&collisionPolicy=Abort"
        answer = await http.post(url, content=STATUS, headers=OCTET)

    assert answer.status_code == 200
    body = answer.json()
    assert (body["successCount"], body["failureCount"]) == (0, 1)
    assert "Status" in json.dumps(body["failures"][0])
    assert gateway.tags.providers["default"]["tags"][0]["value"] is True  # nothing imported


async def test_an_import_sent_as_octet_stream_is_read_by_its_type():
    app, gateway = make(version="8.3.9")
    body = json.dumps({"tags": [{"name": "New", "tagType": "AtomicTag"}]})
    async with client_for(app) as http:
        url = f"{API}/tags/import?provider=default&type=json&collisionPolicy=Abort"
        answer = await http.post(url, content=body, headers=OCTET)

    assert answer.json() == {"successCount": 1, "failureCount": 0, "failures": []}
    assert "New" in [t["name"] for t in gateway.tags.providers["default"]["tags"]]


async def test_a_path_export_is_the_named_node_itself():
    app, _ = make(version="8.3.9")
    async with client_for(app) as http:
        node = (await http.get(f"{API}/tags/export?path=Line1", headers=TOKEN)).json()
        root = (await http.get(f"{API}/tags/export", headers=TOKEN)).json()

    assert (node["name"], node["tagType"]) == ("Line1", "Folder")
    assert [t["name"] for t in node["tags"]] == ["Speed", "Count"]
    assert root["path"] == ""
    assert root["tags"]
