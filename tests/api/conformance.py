"""Schemathesis run in-process, the way ``schemathesis run`` does it, collecting every
distinct failure (a server error, an answer the schema does not describe, valid data refused,
invalid data accepted) so a test can list them all at once."""

import uuid
from collections import Counter

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic

SCHEMA_PATH = "/api/v1/schema/"

# Operations whose input must also keep rules no JSON Schema can state: for these a 400 with
# the reason is a correct answer to data the schema allows. Every other operation accepts all
# data its schema allows.
DOMAIN_RULES = {
    ("POST", "/api/v1/auth/jwt/refresh/"): "a refresh token the portal issued, not blank",
    ("POST", "/api/v1/auth/jwt/logout/"): "a refresh token the portal issued, not blank",
    ("POST", "/api/v1/credentials/"): "a username/password credential needs a username",
    ("PATCH", "/api/v1/credentials/{id}/"): "gateway_url is an http(s) URL with a host",
    ("POST", "/api/v1/credentials/{id}/test-connection/"): "a URL when the credential has none",
    ("POST", "/api/v1/gateways/"): "base_url is an http(s) URL with a host",
    ("PATCH", "/api/v1/gateways/{id}/"): "base_url is an http(s) URL with a host",
    ("PUT", "/api/v1/playbooks/{id}/"): "yaml_text is a valid playbook",
    ("PUT", "/api/v1/playbooks/{id}/steps/{step_id}/"): "the step is valid in its playbook",
    ("POST", "/api/v1/playbooks/import/"): "the content is a valid playbook or export",
    ("POST", "/api/v1/playbooks/import-set/"): "files are playbooks, exports or zips of them",
    ("POST", "/api/v1/presets/"): "values name the playbook's parameters, with their types",
    ("PATCH", "/api/v1/presets/{id}/"): "values name the playbook's parameters, with their types",
    ("POST", "/api/v1/executions/"): "parameters are the playbook's, with their types",
    ("POST", "/api/v1/batches/"): "gateways or a gateway_tag some gateway carries, and the "
    "playbook's parameters",
    ("POST", "/api/v1/schedules/"): "the timing fields its kind needs, a known time zone",
    ("PUT", "/api/v1/schedules/{id}/"): "the timing fields its kind needs, a known time zone",
    ("PATCH", "/api/v1/schedules/{id}/"): "the timing fields its kind needs, a known time zone",
    ("POST", "/api/v1/notification-destinations/"): "addresses, or a URL and a long secret",
    ("PATCH", "/api/v1/notification-destinations/{id}/"): "addresses, or a URL and a long secret",
    ("POST", "/api/v1/notification-rules/"): "destinations, and the object its scope names",
    ("PATCH", "/api/v1/notification-rules/{id}/"): "destinations, and the object its scope names",
    ("POST", "/api/v1/files/"): "a plain name with an allowed extension; a zip for .modl/.gwbk",
}
# A body over the size limit is refused with 413 (which names the limit): a rejection too.
REJECTED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "429"]


def load_schema(base_url: str, token: str, *, max_examples: int, coverage: bool = True):
    """The schema as served to a client signed in with ``token``; generated data is the same
    every run. ``coverage``: also send schemathesis's boundary values of every parameter."""
    header = f"Token {token}"
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {
            "auth": {"openapi": {"tokenAuth": {"api_key": header}}},
            "workers": 1,
            # Nothing kept between runs (no cache, no example database): each run sends the
            # same requests, whatever ran before.
            "cache": {"enabled": False},
            "generation": {
                "deterministic": True,
                "database": "none",
                "max-examples": max_examples,
            },
            "phases": {"coverage": {"enabled": coverage}},
            "checks": {"negative_data_rejection": {"expected-statuses": REJECTED}},
            "operations": [_domain_rules(method, path) for method, path in DOMAIN_RULES],
        }
    )
    return schemathesis.openapi.from_url(
        f"{base_url}{SCHEMA_PATH}", config=config, headers={"Authorization": header}
    )


def _domain_rules(method: str, path: str) -> dict:
    accepted = ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429"]
    return {
        "include-name": f"{method} {path}",
        "checks": {"positive_data_acceptance": {"expected-statuses": accepted}},
    }


def point_ids_at(schema, objects: dict) -> None:
    """Every other generated object id becomes the id of an existing object of that kind, so
    the answers about found objects are checked as well as the 404s."""
    turn = Counter()

    @schema.hook
    def map_path_parameters(context, path_parameters):
        kind = context.operation.path.strip("/").split("/")[0]
        turn[kind] += 1
        if turn[kind] % 2 and kind in objects and _is_plain_id(path_parameters.get("id")):
            path_parameters["id"] = objects[kind].pk
            if "step_id" in path_parameters:
                path_parameters["step_id"] = "hello"
        return path_parameters


def _is_plain_id(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class Findings:
    """Distinct failures by check, as the schemathesis command line counts them."""

    def __init__(self) -> None:
        self.statistic = Statistic()
        self.errors: list[str] = []

    def add(self, event) -> None:
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            self.statistic.on_scenario_finished(event.recorder)
        elif isinstance(event, events.NonFatalError | events.FatalError):
            self.errors.append(f"{getattr(event, 'label', '')}: {event.info.format()}")

    def groups(self) -> list:
        return [group for groups in self.statistic.failures.values() for group in groups.values()]

    def failures(self) -> list:
        return [failure for group in self.groups() for failure in group.failures]

    def by_check(self) -> Counter:
        return Counter(failure.checks[0] for failure in self.failures())

    def report(self) -> str:
        """Empty when schemathesis found nothing; else counts by check, then each failure."""
        lines = [f"{count} {check}" for check, count in sorted(self.by_check().items())]
        for group in self.groups():
            for failure in group.failures:
                lines.append(f"* {failure.operation}: {failure.title}: {failure.message}")
            body = group.response.content[:300] if group.response is not None else b""
            lines.append(f"  {group.code_sample}\n  -> {body!r}")
        return "\n".join(lines + self.errors)


def run(schema) -> Findings:
    findings = Findings()
    for event in from_schema(schema).execute():
        findings.add(event)
    return findings
