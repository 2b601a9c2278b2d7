"""Every (method, path) the product calls has a recorded fact or a cited spec row behind it.

The calls are found in the client and the gateway step plugins (literal paths handed to
``api``/``api_json``/``download``/``list_all`` and absolute paths) and in the shipped
playbooks' ``gateway.api_request`` steps. A new call fails here until it is listed in CALLS
with a fixture (``fact:<name>`` of facts.json) or a gateway spec row (§1.x of the live-backed
tables, §10).
"""

import re
from pathlib import Path

import yaml
from django.conf import settings

from .facts import facts

ROOT = Path(settings.BASE_DIR)
SOURCES = [*ROOT.glob("apps/gateways/client/*.py"), *ROOT.glob("apps/steps/plugins/gateway/*.py")]
_CALL = re.compile(
    r"\b(api|api_json|download|list_all|_tag_call)\(\s*(?:client,\s*)?"
    r'(?:"(GET|POST|PUT|DELETE)",\s*)?f?"([^"]+)"'
)
_ABSOLUTE = re.compile(r'"(/(?:StatusPing|system/\w+|data/app/\w+|web/\w+|idp/[\w/-]+))"')
_IDP_STEPS = re.compile(r'idp_call\(\s*http,\s*"([\w/-]+)"')
NOT_CALLS = {"/data/api/v1/trial"}  # an error's path, not a request

CALLS = {
    ("GET", "/StatusPing"): "fact:status_ping_running",
    ("GET", "/system/gwinfo"): "fact:gwinfo_839",
    ("GET", "/data/app/login"): "§1.4 (live 8.3.6/8.3.3)",
    ("GET", "/data/app/session"): "§1.4 (live)",
    ("GET", "/idp/default/oidc/auth"): "§1.4 (live)",
    ("POST", "/idp/default/authn/next-challenge"): "§1.4 (live)",
    ("POST", "/idp/default/authn/submit-challenge/basic"): "§1.4 (live)",
    ("GET", "/data/federate/callback/internal"): "§1.4 (live)",
    ("GET", "/web/home"): "§1.5 (8.1 home page, public Selenium suites)",
    ("GET", "/web/login"): "§1.5 (8.1 sign-in page behind #login-link)",
    ("GET", "gateway-info"): "fact:gateway_info_839",
    ("GET", "overview"): "fact:overview_839",
    ("GET", "modules/healthy"): "fact:modules_healthy_by_id_839",
    ("GET", "modules/quarantined"): "fact:modules_quarantined_empty_839",
    ("POST", "modules/upload"): "fact:modules_upload_unsigned",
    ("POST", "modules/certificate"): "fact:certificate_already_accepted",
    ("POST", "modules/eula"): "§1.2 (modules/eula, C2)",
    ("POST", "modules/install"): "fact:modules_install_success",
    ("DELETE", "modules/uninstall"): "§1.2 (route in the live 8.3.3 OpenAPI)",
    ("POST", "restart-tasks/restart"): "fact:restart",
    ("GET", "restart-tasks/pending"): "fact:restart_pending_strings",
    ("GET", "backup"): "§1.2 and §10.3 (live 8.3.9 backup download)",
    ("POST", "backup"): "§1.2 (restore, IA's request collection)",
    ("GET", "trial"): "fact:trial_status",
    ("POST", "trial"): "§1.2 (live 8.3.3 trial reset)",
    ("GET", "projects/list"): "§1.2 (IA's request collection) and §10.1 list conventions",
    ("GET", "projects/find/{name}"): "fact:project_missing_404",
    ("GET", "projects/export/{name}"): "§1.2 (route confirmed)",
    ("POST", "projects/import/{name}"): "fact:project_import_ack",
    ("GET", "tags/export"): "fact:tags_export_path_839",
    ("POST", "tags/import"): "fact:tags_import_collision_839",
    ("POST", "diagnostics/bundle/generate"): "§10.3 (live 8.3.9)",
    ("GET", "diagnostics/bundle/status"): "fact:diagnostics_status_valid",
    ("GET", "diagnostics/bundle/download"): "§10.3 (live 8.3.9, zip of 6 entries)",
}


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{name}", path)


def source_calls() -> set[tuple[str, str]]:
    found = set()
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        for _, method, path in _CALL.findall(text):
            if path not in ("GET", "POST", "PUT", "DELETE"):  # a method before a variable path
                found.add((method or "GET", _normalise(path)))
        for path in _ABSOLUTE.findall(text):
            if path not in NOT_CALLS:
                found.add(("POST" if "/authn/" in path else "GET", path))
        for step in _IDP_STEPS.findall(text):
            found.add(("POST", f"/idp/default/authn/{step}"))
    return found


def playbook_calls() -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / "playbooks").rglob("*.yaml"):
        for step in yaml.safe_load(path.read_text(encoding="utf-8")).get("steps") or []:
            if step.get("type") == "gateway.api_request":
                parameters = step.get("parameters") or {}
                found.add((parameters.get("method", "GET"), _normalise(parameters["path"])))
    return found


def test_every_call_of_the_product_is_listed():
    calls = source_calls() | playbook_calls()

    assert sorted(calls - set(CALLS) - {("GET", "/idp/default/authn")}) == []


def test_every_listed_call_has_a_fact_or_a_cited_spec_row():
    for call, evidence in CALLS.items():
        if evidence.startswith("fact:"):
            assert evidence[5:] in facts(), call
        else:
            assert re.match(r"§(1\.[2-5]|10\.[1-3])\b", evidence), call


def test_the_listed_calls_are_still_made():
    calls = source_calls() | playbook_calls()
    implicit = {("GET", "/idp/default/oidc/auth"), ("GET", "/data/federate/callback/internal")}

    assert sorted(set(CALLS) - calls - implicit) == []
