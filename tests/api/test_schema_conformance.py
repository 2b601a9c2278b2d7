"""The OpenAPI schema tells the truth: schemathesis sends generated requests, valid and
invalid, to every operation of the live portal and checks each answer against the schema with
all its checks. The editor gets every phase; the operator (who launches and controls runs) and
the viewer (refused every change) a shorter run without the boundary values."""

import pytest

from tests.api.conformance import load_schema, point_ids_at, run

PERSONAS = {"editor": (10, True), "operator": (5, False), "viewer": (5, False)}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("gateways_unreachable")
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_answers_as_the_schema_says(
    request, persona, prompt_live_server, api_objects, api_token
):
    max_examples, coverage = PERSONAS[persona]
    user = request.getfixturevalue(persona)
    token = api_token(user)
    schema = load_schema(
        prompt_live_server.url, token, max_examples=max_examples, coverage=coverage
    )
    point_ids_at(schema, api_objects)

    findings = run(schema)

    report = findings.report()
    if report:
        pytest.fail(report, pytrace=False)
