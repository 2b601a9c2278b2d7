"""Projects (spec 1.2, 5.3, 9.5) and the list envelope with its query parameters (spec 1.3)."""

import io
import json
import zipfile

import pytest

from apps.simulator.lists import ListQueryError, paginate

from .helpers import API, TOKEN

P = f"{API}/projects"


async def test_list_and_names_use_the_envelope(client):
    listed = (await client.get(f"{P}/list", headers=TOKEN)).json()
    names = (await client.get(f"{P}/names", headers=TOKEN)).json()

    assert listed["metadata"] == {"total": 2, "matching": 2, "limit": -1, "offset": 0}
    assert listed["items"][0]["name"] == "SecureDemo"
    assert names["items"] == ["SecureDemo", "SimDemo"]


async def test_create_find_update_rename_copy_delete(client):
    created = await client.post(P, json={"name": "Alpha", "title": "A"}, headers=TOKEN)
    duplicate = await client.post(P, json={"name": "ALPHA"}, headers=TOKEN)
    nameless = await client.post(P, json={"title": "x"}, headers=TOKEN)
    not_json = await client.post(P, content=b"name=x", headers=TOKEN)
    updated = await client.put(f"{P}/Alpha", json={"description": "changed"}, headers=TOKEN)
    rename_in_put = await client.put(f"{P}/Alpha", json={"name": "Beta"}, headers=TOKEN)
    renamed = await client.post(f"{P}/rename/alpha", json={"name": "Beta"}, headers=TOKEN)
    copied = await client.post(
        f"{P}/copy", json={"fromName": "Beta", "toName": "Gamma"}, headers=TOKEN
    )
    found = (await client.get(f"{P}/find/gamma", headers=TOKEN)).json()
    no_confirm = await client.delete(f"{P}/Beta", headers=TOKEN)
    deleted = await client.delete(f"{P}/Beta?confirm=true", headers=TOKEN)
    missing = await client.get(f"{P}/find/Beta", headers=TOKEN)

    assert created.json() == {"success": True, "changes": [{"name": "Alpha"}], "problem": None}
    assert duplicate.status_code == 409
    assert duplicate.json() == {
        "success": False,
        "changes": [],
        "problem": {"message": "Project 'ALPHA' already exists.", "stacktrace": []},
    }
    assert nameless.status_code == 400
    assert not_json.status_code == 415
    assert updated.status_code == 200
    assert rename_in_put.status_code == 400
    assert renamed.json()["changes"] == [{"name": "alpha"}, {"name": "Beta"}]
    assert copied.status_code == 200
    assert found == {
        "name": "Gamma",
        "title": "A",
        "description": "changed",
        "enabled": True,
        "inheritable": False,
        "parent": None,
    }
    assert no_confirm.status_code == 400
    assert deleted.status_code == 200
    assert missing.status_code == 404
    assert missing.json()["problem"]["message"] == "Project 'Beta' not found."


async def test_export_then_import_round_trip(client):
    exported = await client.get(f"{P}/export/SimDemo", headers=TOKEN)
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    headers = {**TOKEN, "Content-Type": "application/zip"}

    conflict = await client.post(f"{P}/import/SimDemo", content=exported.content, headers=headers)
    copy = await client.post(f"{P}/import/Copied", content=exported.content, headers=headers)
    overwrite = await client.post(
        f"{P}/import/SimDemo?overwrite=true", content=exported.content, headers=headers
    )
    bad_type = await client.post(
        f"{P}/import/X", content=b"x", headers={**TOKEN, "Content-Type": "text/plain"}
    )
    bad_zip = await client.post(f"{P}/import/X", content=b"x", headers=headers)
    names = (await client.get(f"{P}/names", headers=TOKEN)).json()["items"]

    assert exported.headers["content-disposition"] == 'attachment; filename="SimDemo.zip"'
    assert json.loads(archive.read("project.json")) == {
        "title": "Simulator demo",
        "description": "Perspective demo",
        "enabled": True,
        "inheritable": False,
    }
    assert "com.inductiveautomation.perspective/views/Home/view.json" in archive.namelist()
    assert conflict.status_code == 409
    assert copy.json() == {"success": True, "message": "Project Copied imported"}
    assert overwrite.status_code == 200
    assert bad_type.status_code == 415
    assert bad_zip.status_code == 400
    assert names == ["Copied", "SecureDemo", "SimDemo"]


async def test_scan_routes(client):
    assert (await client.get(f"{API}/scan/projects", headers=TOKEN)).json()["scanning"] is False
    assert (await client.post(f"{API}/scan/projects", headers=TOKEN)).json() == {"success": True}


async def test_list_query_parameters_over_http(client):
    url = f"{API}/modules/healthy"
    query = {"name[sw]": "Pe", "sortBy": "desc(name)", "limit": "1", "offset": "0"}

    page = (await client.get(url, params=query, headers=TOKEN)).json()
    bad = await client.get(url, params={"sortBy": "name"}, headers=TOKEN)

    assert page["metadata"] == {"total": 32, "matching": 1, "limit": 1, "offset": 0}
    assert page["items"][0]["name"] == "Perspective"
    assert bad.status_code == 400


ITEMS = [
    {"name": "Alpha", "size": 3, "kind": "x"},
    {"name": "Beta", "size": 10, "kind": "y"},
    {"name": "Gamma", "size": 7, "kind": "x"},
]


@pytest.mark.parametrize(
    ("_case", "params", "filters", "names"),
    [
        ("all", {}, [], ["Alpha", "Beta", "Gamma"]),
        ("eq", {}, ["kind[eq]=X"], ["Alpha", "Gamma"]),
        ("ne", {}, ["kind[ne]=x"], ["Beta"]),
        ("cn", {}, ["name[cn]=amm"], ["Gamma"]),
        ("ew", {}, ["name[ew]=ta"], ["Beta"]),
        ("gt numbers", {}, ["size[gt]=5"], ["Beta", "Gamma"]),
        ("gte", {}, ["size[gte]=7"], ["Beta", "Gamma"]),
        ("lt", {}, ["size[lt]=7"], ["Alpha"]),
        ("lte text", {}, ["name[lte]=beta"], ["Alpha", "Beta"]),
        ("rgx", {}, ["name[rgx]=^[AB]"], ["Alpha", "Beta"]),
        ("search", {"search": "x gam"}, [], ["Gamma"]),
        ("sort", {"sortBy": "desc(size)"}, [], ["Beta", "Gamma", "Alpha"]),
        ("page", {"limit": "1", "offset": "1"}, [], ["Beta"]),
    ],
)
def test_paginate(_case, params, filters, names):
    result = paginate(ITEMS, params, filters)

    assert [i["name"] for i in result["items"]] == names
    assert result["metadata"]["total"] == 3


def test_paginate_plain_values_and_errors():
    assert paginate(["b", "a"], {"sortBy": "asc(x)"}, [])["items"] == ["a", "b"]
    with pytest.raises(ListQueryError):
        paginate(ITEMS, {}, ["size>3"])
    with pytest.raises(ListQueryError):
        paginate(ITEMS, {"limit": "many"}, [])
