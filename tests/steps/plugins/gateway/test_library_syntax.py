"""The shipped library talks to gateways the way a real 8.3 gateway understands."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

LIBRARY = Path(settings.BASE_DIR) / "playbooks"
FILES = sorted(LIBRARY.rglob("*.yaml"))


def api_requests(path: Path) -> list[dict]:
    steps = yaml.safe_load(path.read_text(encoding="utf-8")).get("steps") or []
    return [s for s in steps if s.get("type") == "gateway.api_request"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(LIBRARY).as_posix())
def test_list_calls_filter_with_field_op_keys_and_never_ask_for_everything(path):
    for step in api_requests(path):
        query = (step.get("parameters") or {}).get("query") or {}
        assert "filter" not in query, f"{step['id']}: 8.3 filters with keys like id[eq]"
        assert str(query.get("limit", "")) != "-1", f"{step['id']}: page with offset instead"
