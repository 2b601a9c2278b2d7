"""The template engine: reference syntax, type preservation, recursion and error messages."""

from types import SimpleNamespace

import pytest

from apps.playbooks.templating import (
    Reference,
    TemplateContext,
    TemplateError,
    has_template,
    references,
    render,
    single_reference,
    split,
)

CREDENTIAL = SimpleNamespace(
    username="admin", password="s3cret", gateway_url=None, description="Lab", _hidden="x"
)


def vault(name):
    if name == "lab":
        return CREDENTIAL
    raise LookupError(name)


@pytest.fixture
def context():
    return TemplateContext(
        parameters={
            "url": "http://gw:8088",
            "count": 3,
            "flags": [1, 2],
            "cred": CREDENTIAL,
            "opts": {"a": {"b": True}},
            "nothing": None,
        },
        variables={"ready": False, "ratio": 0.5},
        steps={
            "discover": {"inventory": [{"id": "b1"}, {"id": "b2"}], "count": 2, "_output": "raw"}
        },
        credentials=vault,
    )


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        ("bare parameter keeps an int", "{{ count }}", 3),
        ("long form keeps a list", "{{ parameter.flags }}", [1, 2]),
        ("no spaces", "{{count}}", 3),
        ("spaces inside the braces", "{{   count }}", 3),
        ("nested dict key", "{{ opts.a.b }}", True),
        ("variable bool", "{{ variable.ready }}", False),
        ("step list", "{{ step.discover.inventory }}", [{"id": "b1"}, {"id": "b2"}]),
        ("list index", "{{ step.discover.inventory.1.id }}", "b2"),
        ("underscore key of a mapping", "{{ step.discover._output }}", "raw"),
        (
            "whole step output",
            "{{ step.discover }}",
            {"inventory": [{"id": "b1"}, {"id": "b2"}], "count": 2, "_output": "raw"},
        ),
        ("credential object", "{{ credential.lab }}", CREDENTIAL),
        ("credential field", "{{ credential.lab.password }}", "s3cret"),
        ("credential parameter field", "{{ cred.username }}", "admin"),
        ("None stays None", "{{ nothing }}", None),
        ("no template", "plain text", "plain text"),
        ("braces without a closing pair", "{{ count", "{{ count"),
    ],
)
def test_renders_single_values(context, _case, value, expected):
    assert render(value, context) == expected


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        ("string in text", "{{ url }}/web/home", "http://gw:8088/web/home"),
        ("int in text", "n={{ count }}", "n=3"),
        ("float in text", "r={{ variable.ratio }}", "r=0.5"),
        ("bool in text", "ready={{ variable.ready }}", "ready=false"),
        ("true in text", "{{ opts.a.b }}!", "true!"),
        ("list as JSON", "ids: {{ flags }}", "ids: [1, 2]"),
        ("dict as JSON", "{{ opts }} ", '{"a": {"b": true}} '),
        ("surrounding spaces make text", " {{ count }}", " 3"),
        ("two references", "{{ count }}{{ count }}", "33"),
    ],
)
def test_mixed_text_renders_a_string(context, _case, value, expected):
    assert render(value, context) == expected


def test_recurses_into_lists_tuples_and_dict_values(context):
    value = {"{{ count }}": ["{{ count }}", ("{{ flags }}",)], "n": 7, "none": None}

    assert render(value, context) == {"{{ count }}": [3, ([1, 2],)], "n": 7, "none": None}


def test_rendered_text_is_not_rendered_again():
    context = TemplateContext(parameters={"a": "{{ b }}", "b": "no"})

    assert render("{{ a }}", context) == "{{ b }}"


@pytest.mark.parametrize(
    ("_case", "value", "message"),
    [
        (
            "missing parameter",
            "{{ missing }}",
            "Parameter 'missing' not found in playbook parameters (in '{{ missing }}')",
        ),
        (
            "missing variable",
            "{{ variable.v }}",
            "Variable 'v' is not set (in '{{ variable.v }}'); set it first with "
            "utility.set_variable",
        ),
        (
            "missing step",
            "{{ step.later.x }}",
            "Step 'later' has no output (in '{{ step.later.x }}'): only earlier, completed steps "
            "can be referenced",
        ),
        (
            "missing key",
            "{{ step.discover.nope }}",
            "'step.discover' has no key 'nope' (in '{{ step.discover.nope }}'); available keys: "
            "_output, count, inventory",
        ),
        (
            "index out of range",
            "{{ step.discover.inventory.5 }}",
            "'step.discover.inventory' has no key '5' (in '{{ step.discover.inventory.5 }}'); it "
            "is a list of 2 item(s)",
        ),
        (
            "key of a scalar",
            "{{ count.x }}",
            "'count' has no key 'x' (in '{{ count.x }}'); it is a int",
        ),
        (
            "private attribute",
            "{{ cred._hidden }}",
            "'cred' has no key '_hidden' (in '{{ cred._hidden }}'); it is a SimpleNamespace",
        ),
        (
            "unknown credential",
            "{{ credential.prod }}",
            "Credential 'prod' not found in the vault (in '{{ credential.prod }}')",
        ),
        (
            "empty credential field",
            "{{ credential.lab.gateway_url }}",
            "Credential 'lab' has no gateway_url (in '{{ credential.lab.gateway_url }}')",
        ),
        (
            "None in text",
            "x{{ nothing }}",
            "'{{ nothing }}' is empty (None) and cannot be placed inside text",
        ),
        (
            "credential in text",
            "pw={{ credential.lab }}",
            "'{{ credential.lab }}' is a SimpleNamespace object and cannot be placed inside text; "
            "write e.g. '.username' or '.password' after it to insert one field",
        ),
        (
            "credential parameter in text",
            "u={{ cred }}",
            "'{{ cred }}' is a SimpleNamespace object and cannot be placed inside text; write e.g. "
            "'.username' or '.password' after it to insert one field",
        ),
    ],
)
def test_resolution_errors_name_the_reference(context, _case, value, message):
    with pytest.raises(TemplateError) as excinfo:
        render(value, context)

    assert str(excinfo.value) == message


def test_other_objects_cannot_be_placed_in_text():
    context = TemplateContext(parameters={"obj": object()})

    with pytest.raises(TemplateError, match="is a object object and cannot be placed"):
        render("x {{ obj }}", context)


def test_credentials_need_a_vault():
    with pytest.raises(TemplateError) as excinfo:
        render("{{ credential.lab }}", TemplateContext())

    assert (
        str(excinfo.value) == "No credential vault is available to resolve '{{ credential.lab }}'"
    )


@pytest.mark.parametrize(
    ("_case", "text", "message"),
    [
        ("empty", "{{ }}", "Empty reference '{{ }}': write e.g. '{{ parameter.name }}'"),
        (
            "filter",
            "{{ x | upper }}",
            "Invalid reference '{{ x | upper }}': references are dotted names such as "
            "'{{ step.login.status }}'; filters, expressions and spaces are not supported",
        ),
        (
            "kind without name",
            "{{ step }}",
            "Reference '{{ step }}' needs a name: write '{{ step.<name> }}'",
        ),
        (
            "trailing dot",
            "{{ step.a. }}",
            "Invalid reference '{{ step.a. }}': references are "
            "dotted names such as '{{ step.login.status }}'; filters, expressions and spaces are "
            "not supported",
        ),
    ],
)
def test_malformed_references_are_errors(_case, text, message):
    with pytest.raises(TemplateError) as excinfo:
        render(f"a {text} b", TemplateContext())

    assert str(excinfo.value) == message
    assert excinfo.value.reference in (None, text)


def test_references_are_listed_recursively():
    value = {
        "a": ["{{ x }} and {{ step.s1.out.0 }}"],
        "b": {"c": "{{ credential.lab.password }}"},
        "d": 5,
        "e": "{{ variable.v }}",
    }

    assert references(value) == [
        Reference("parameter", "x", (), "{{ x }}", bare=True),
        Reference("step", "s1", ("out", "0"), "{{ step.s1.out.0 }}"),
        Reference("credential", "lab", ("password",), "{{ credential.lab.password }}"),
        Reference("variable", "v", (), "{{ variable.v }}"),
    ]
    assert references(("{{ y }}",))[0].expression == "parameter.y"


def test_split_keeps_literal_text_in_order():
    parts = split("a{{ x }}b{{ y }}")

    assert parts[0] == "a"
    assert parts[2] == "b"
    assert [p.name for p in parts if isinstance(p, Reference)] == ["x", "y"]


def test_single_reference_and_has_template():
    assert single_reference("{{ step.a.b }}").path == ("b",)
    assert single_reference("x {{ a }}") is None
    assert single_reference("{{ a }} ") is None
    assert single_reference(5) is None
    assert has_template("{{ a }}") is True
    assert has_template("{ a }") is False
