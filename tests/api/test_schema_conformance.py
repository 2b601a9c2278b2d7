"""The OpenAPI schema tells the truth: schemathesis sends generated requests, valid and
invalid, to every operation of the live portal and checks each answer against the schema with
all its checks."""

import pytest

from tests.api.conformance import load_schema, point_ids_at, run


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("gateways_unreachable")
def test_every_operation_answers_as_the_schema_says(
    prompt_live_server, editor, api_objects, api_token
):
    schema = load_schema(prompt_live_server.url, api_token(editor), max_examples=10)
    point_ids_at(schema, api_objects)

    findings = run(schema)

    report = findings.report()
    if report:
        pytest.fail(report, pytrace=False)
