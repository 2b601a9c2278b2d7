"""playbook.run calls are checked against the child's declared parameters when loaded."""

from apps.playbooks.loader import load_playbook
from apps.playbooks.loader.children import ChildRef
from tests.playbooks.loader.helpers import errors, text

CHILD_PARAMETERS = [
    {"name": "gateway_url", "type": "string", "required": True, "default": None},
    {"name": "gateway_credential", "type": "credential", "required": True, "default": None},
    {"name": "attempts", "type": "integer", "required": False, "default": 3},
]


def _parent(call: str) -> str:
    return text(f"""
        name: Parent
        version: "1"
        parameters: [{{name: url, type: string, default: "http://gw:8088"}}]
        steps:
          - id: login
            name: Login
            type: playbook.run
            parameters: {call}
    """)


def _child(path: str) -> ChildRef | None:
    return ChildRef(path, CHILD_PARAMETERS) if path == "gateway/login.yaml" else None


def test_unknown_missing_and_wrongly_typed_child_parameters_are_load_errors():
    source = _parent(
        '{playbook: gateway/login.yaml, username: admin, gateway_url: "{{ url }}", attempts: "x"}'
    )

    assert errors(source, child_exists=_child, credential_names={"gw-admin"}) == [
        "pb.yaml:8:48: step 'login', key 'parameters.username': Child playbook "
        "'gateway/login.yaml' has no parameter 'username'. It declares: attempts, "
        "gateway_credential, gateway_url",
        "pb.yaml:8:101: step 'login', key 'parameters.attempts': Child playbook "
        "'gateway/login.yaml': 'attempts' must be a whole number, not 'x'",
        "pb.yaml:8:17: step 'login', key 'parameters': Child playbook 'gateway/login.yaml' "
        "needs parameter 'gateway_credential' (credential). Add 'gateway_credential:' to the call",
    ]


def test_a_credential_passed_to_a_child_must_exist():
    source = _parent(
        '{playbook: gateway/login.yaml, gateway_url: "{{ url }}", gateway_credential: gw-admn}'
    )

    found = errors(source, child_exists=_child, credential_names={"gw-admin"})

    assert found == [
        "pb.yaml:8:94: step 'login', key 'parameters.gateway_credential': Credential 'gw-admn' "
        "does not exist. Did you mean 'gw-admin'?"
    ]


def test_a_matching_call_loads():
    source = _parent(
        '{playbook: gateway/login.yaml, gateway_url: "{{ url }}", gateway_credential: gw-admin, '
        "attempts: 2}"
    )

    loaded = load_playbook(source, child_exists=_child, credential_names={"gw-admin"})

    assert loaded.steps[0]["parameters"]["attempts"] == 2


def test_a_rewritten_child_path_is_written_back_with_a_warning():
    def resolve(path: str) -> ChildRef:
        return ChildRef("imported/set/" + path, [], note=f"'{path}' is the set's own file")

    loaded = load_playbook(
        _parent("{playbook: gateway/login.yaml}"), source="pb.yaml", child_exists=resolve
    )

    assert loaded.steps[0]["parameters"] == {"playbook": "imported/set/gateway/login.yaml"}
    assert [str(w) for w in loaded.warnings] == [
        "pb.yaml:8:28: step 'login', key 'parameters.playbook': 'gateway/login.yaml' is the "
        "set's own file"
    ]


def test_an_ambiguous_child_is_an_error():
    def resolve(path: str) -> ChildRef:
        return ChildRef(path, None, problem="Ambiguous: A or B")

    assert errors(_parent("{playbook: gateway/login.yaml}"), child_exists=resolve) == [
        "pb.yaml:8:28: step 'login', key 'parameters.playbook': Ambiguous: A or B"
    ]
