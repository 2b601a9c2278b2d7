"""Launching a batch from the playbook's Run dialog: several gateways or a gateway tag, its
concurrency and policy; refusals show on the form's fields and create nothing."""

import pytest

from apps.executions.models import Batch, Execution
from tests.batches.helpers import batch_playbook, tagged_gateways
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URLS = {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}


@pytest.fixture
def book(team):
    return batch_playbook(team)


@pytest.fixture
def fleet(team):
    gateways = tagged_gateways(team, URLS)
    gateways.append(GatewayFactory(team=team, name="gw-c", tags=["plant-b"]))
    return {gateway.name: gateway for gateway in gateways}


def post(client, user, book, data, **extra):
    client.force_login(user)
    return client.post(f"/playbooks/{book.pk}/run/", {"action": "run", **data}, **extra)


def batch_gateways(batch) -> list[str]:
    runs = Execution.objects.filter(batch=batch).select_related("gateway")
    return sorted(run.gateway.name for run in runs)


def test_the_dialog_offers_the_teams_gateways_and_tags(client, book, fleet, operator, other_team):
    GatewayFactory(team=other_team, name="elsewhere", tags=["plant-z"])
    client.force_login(operator)

    html = client.get(f"/playbooks/{book.pk}/run/", **HTMX).content.decode()

    assert 'name="target" value="gateways"' in html
    assert '<select id="run-gateways" name="gateways" multiple' in html
    assert f'<option value="{fleet["gw-c"].pk}">gw-c' in html
    assert '<option value="plant-a">plant-a</option>' in html
    assert '<option value="plant-b">plant-b</option>' in html
    assert "elsewhere" not in html
    assert "plant-z" not in html
    assert 'name="concurrency"' in html
    assert '<option value="stop">' in html


def test_several_gateways_start_a_batch_and_go_to_its_page(client, book, fleet, operator):
    chosen = [fleet["gw-a"].pk, fleet["gw-c"].pk]

    response = post(
        client,
        operator,
        book,
        {"target": "gateways", "gateways": chosen, "concurrency": "2", "policy": "stop"},
        **HTMX,
    )

    batch = Batch.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/executions/batches/{batch.pk}/"
    assert batch_gateways(batch) == ["gw-a", "gw-c"]
    assert (batch.concurrency, batch.policy, batch.gateway_tag) == (2, "stop", "")
    assert batch.requested_by == operator


def test_a_tag_starts_a_batch_over_its_gateways_without_javascript(client, book, fleet, operator):
    response = post(client, operator, book, {"target": "tag", "gateway_tag": "plant-a"})

    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/executions/batches/{batch.pk}/"
    assert batch_gateways(batch) == ["gw-a", "gw-b"]
    assert (batch.gateway_tag, batch.concurrency, batch.policy) == ("plant-a", None, "continue")


def test_one_gateway_still_starts_a_single_run(client, book, fleet, operator):
    response = post(
        client, operator, book, {"target": "gateway", "gateway": fleet["gw-b"].pk}, **HTMX
    )

    run = Execution.objects.get()
    assert response["HX-Redirect"] == f"/executions/{run.pk}/"
    assert (run.batch, run.gateway) == (None, fleet["gw-b"])
    assert not Batch.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"target": "gateways"}, "gateways", "Choose at least one gateway."),
        ({"target": "tag", "gateway_tag": "plant-q"}, "gateway_tag", "plant-q is not one of"),
        ({"target": "tag"}, "gateway_tag", "Choose a gateway tag."),
        (
            {"target": "tag", "gateway_tag": "plant-a", "concurrency": "0"},
            "concurrency",
            "greater than or equal to 1",
        ),
    ],
)
def test_wrong_targets_show_on_their_field_and_start_nothing(
    client, book, fleet, operator, data, field, message
):
    response = post(client, operator, book, data, **HTMX)

    html = response.content.decode()
    assert response.status_code == 422
    section = html[html.index(f'id="run-{field}"') :]
    assert message in section[: section.index("</div>")]
    assert 'aria-invalid="true"' in section[: section.index(">")]
    assert not Batch.objects.exists()
    assert not Execution.objects.exists()


def test_another_teams_gateway_is_refused_on_the_field(client, book, fleet, operator, other_team):
    foreign = GatewayFactory(team=other_team, name="elsewhere")

    response = post(
        client,
        operator,
        book,
        {"target": "gateways", "gateways": [fleet["gw-a"].pk, foreign.pk]},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    section = html[html.index('id="run-gateways"') :]
    assert f"{foreign.pk} is not one of the available choices" in section
    assert not Batch.objects.exists()
    assert not Execution.objects.exists()


def test_viewers_cannot_launch_a_batch(client, book, fleet, viewer):
    response = post(client, viewer, book, {"target": "tag", "gateway_tag": "plant-a"}, **HTMX)

    assert response.status_code == 403
    assert not Batch.objects.exists()
    assert not Execution.objects.exists()


def test_saving_a_preset_with_several_gateways_none_chosen_shows_no_target_error(
    client, book, fleet, operator
):
    response = post(
        client,
        operator,
        book,
        {"action": "save_as", "preset_name": "nightly", "target": "gateways"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Preset “nightly” saved." in html
    assert "Choose at least one gateway." not in html
    assert 'name="target" value="gateways" checked' in html  # the choice is kept
