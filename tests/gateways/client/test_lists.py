"""Lists as a real 8.3 gateway serves them: paged with limit/offset, filtered by field[op] keys."""

import pytest

from apps.gateways.client import GatewayClient, content, lists
from tests.gateways.client.stub import Answer, StubGateway

HEALTHY = "/data/api/v1/modules/healthy"
MODULES = [{"id": f"com.example.m{n}", "name": f"M{n}", "state": "ACTIVE"} for n in range(5)]


def paged(call) -> Answer:
    limit, offset = int(call.query.get("limit", 25)), int(call.query.get("offset", 0))
    chosen = [m for m in MODULES if call.query.get("id[eq]") in (None, m["id"])]
    meta = {"total": 5, "matching": len(chosen), "limit": limit, "offset": offset}
    return Answer(body={"items": chosen[offset : offset + limit], "metadata": meta})


@pytest.fixture
def stub():
    server = StubGateway({("GET", HEALTHY): paged})
    yield server
    server.stop()


def test_a_whole_list_is_read_page_by_page(stub, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)

    modules = content.list_modules(GatewayClient(stub.url, version="8.3"))

    assert [m["id"] for m in modules] == [m["id"] for m in MODULES]
    queries = [c.query for c in stub.calls_to("GET", HEALTHY)]
    assert queries == [{"limit": "2", "offset": str(n)} for n in (0, 2, 4)]


def test_one_module_is_asked_for_with_an_id_eq_key(stub):
    modules = content.list_modules(GatewayClient(stub.url, version="8.3"), "com.example.m3")

    assert [m["id"] for m in modules] == ["com.example.m3"]
    assert stub.calls[-1].query == {"id[eq]": "com.example.m3", "limit": "100", "offset": "0"}
    assert "filter" not in stub.calls[-1].query
