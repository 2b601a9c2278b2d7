"""The batches list: the batches of the user's teams, newest first, with their gateways'
statuses, paginated; linked from the executions list."""

from datetime import timedelta

import pytest

from apps.executions import batch_views
from apps.executions.models import Batch, Execution
from apps.executions.services.batches import batch_start
from tests.batches.helpers import batch_playbook, tagged_gateways
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db
URLS = {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}


@pytest.fixture
def batches(team, operator):
    """An older batch by tag (one gateway completed, one failed) and a newer selection."""
    book = batch_playbook(team)
    gateways = tagged_gateways(team, URLS)
    by_tag = batch_start(book, actor=operator, gateways=gateways, gateway_tag="plant-a")
    Execution.objects.filter(batch=by_tag, gateway__name="gw-a").update(status="completed")
    Execution.objects.filter(batch=by_tag, gateway__name="gw-b").update(status="failed")
    Batch.objects.filter(pk=by_tag.pk).update(
        status="failed", created_at=by_tag.created_at - timedelta(hours=1)
    )
    selection = batch_start(book, actor=operator, gateways=gateways[:1])
    return by_tag, selection


def test_the_list_shows_the_teams_batches_newest_first_with_counts(client, batches, operator):
    by_tag, selection = batches
    client.force_login(operator)

    html = client.get("/executions/batches/").content.decode()

    assert html.index(f'data-batch-id="{selection.pk}"') < html.index(
        f'data-batch-id="{by_tag.pk}"'
    )
    older = html[html.index(f'data-batch-id="{by_tag.pk}"') :]
    older = older[: older.index("</tr>")]
    assert "tagged <code>plant-a</code>" in older
    assert "2 gateways" in older
    assert "1 completed · " in older
    assert "1 failed" in older
    assert f'href="/executions/batches/{by_tag.pk}/"' in older
    newer = html[html.index(f'data-batch-id="{selection.pk}"') :]
    newer = newer[: newer.index("</tr>")]
    assert "a selection" in newer
    assert "1 queued" in newer
    assert "Fleet check" in newer


def test_outsiders_see_none_and_no_one_sees_another_teams_batch(
    client, batches, operator, outsider, other_team
):
    theirs = batch_start(
        batch_playbook(other_team),
        actor=outsider,
        gateways=[GatewayFactory(team=other_team, name="gw-z")],
    )

    client.force_login(outsider)
    outsider_html = client.get("/executions/batches/").content.decode()
    client.force_login(operator)
    operator_html = client.get("/executions/batches/").content.decode()

    assert outsider_html.count("data-batch-id=") == 1
    assert f'data-batch-id="{theirs.pk}"' in outsider_html
    assert operator_html.count("data-batch-id=") == 2
    assert str(theirs.pk) not in operator_html


def test_the_list_is_paginated_and_linked_from_the_executions_list(
    client, batches, viewer, monkeypatch
):
    monkeypatch.setattr(batch_views, "PAGE_SIZE", 1)
    client.force_login(viewer)

    first = client.get("/executions/batches/").content.decode()
    second = client.get("/executions/batches/", {"page": 2}).content.decode()
    executions = client.get("/executions/").content.decode()

    assert f'data-batch-id="{batches[1].pk}"' in first
    assert "Page 1 of 2 · 2 batches" in first
    assert 'href="?page=2"' in first
    assert f'data-batch-id="{batches[0].pk}"' in second
    assert 'href="/executions/batches/"' in executions
