"""List filters as a real 8.3 gateway takes them: query keys ``field[op]=value``, no ``filter=``."""

from .helpers import API, TOKEN

VISION = "com.inductiveautomation.vision"


async def test_a_field_op_query_key_filters_the_list(client):
    page = (await client.get(f"{API}/modules/healthy?id[eq]={VISION}", headers=TOKEN)).json()

    assert [m["id"] for m in page["items"]] == [VISION]
    assert page["metadata"]["matching"] == 1


async def test_several_filters_all_apply(client):
    url = f"{API}/modules/healthy?name[sw]=V&id[ew]=vision"
    page = (await client.get(url, headers=TOKEN)).json()

    assert [m["id"] for m in page["items"]] == [VISION]


async def test_a_filter_parameter_is_not_a_filter(client):
    url = f"{API}/modules/healthy"
    everything = (await client.get(url, headers=TOKEN)).json()
    page = (await client.get(url, params={"filter": f"id[eq]={VISION}"}, headers=TOKEN)).json()

    assert page["metadata"]["matching"] == everything["metadata"]["total"] > 1


async def test_an_unknown_filter_operator_is_refused(client):
    answer = await client.get(f"{API}/modules/healthy?id[like]=x", headers=TOKEN)

    assert answer.status_code == 400
    assert "unknown filter operator" in answer.json()["message"]
