"""Property tests: any text and any step parameters give a result or validation errors only."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.steps.registry import all_step_types

SETTINGS = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
STEP_TYPES = all_step_types()
NAMES = st.sampled_from(["url", "gw", "x", "a", "b", "timeout", "selector", "key", "first"])
TEMPLATES = st.sampled_from(
    [
        "{{ url }}",
        "{{ parameter.gw.username }}",
        "{{ credential.lab }}",
        "{{ variable.v }}",
        "{{ step.first.text }}",
        "{{ step.s1 }}",
        "{{ nope }}",
        "{{ }}",
        "{{ a | b }}",
        "x {{ url }}",
        "{{ step.s0.status }}/y",
        "{{ credential.lab.password }}",
        "{{{{ x }}}}",
        "../x",
        "/abs",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    TEMPLATES,
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _load(text: str, **kwargs) -> None:
    try:
        result = load_playbook(text, **kwargs)
    except PlaybookValidationError as exc:
        issues = exc.issues
        message = str(exc)
    else:
        assert isinstance(result, LoadedPlaybook)
        return
    assert issues
    assert all(issue.severity == "error" for issue in issues)
    assert message == "\n".join(str(issue) for issue in issues)


OPTIONS = st.fixed_dictionaries(
    {
        "lenient": st.booleans(),
        "credential_names": st.one_of(st.none(), st.sets(st.sampled_from(["lab", "prod"]))),
        "child_exists": st.sampled_from([None, lambda path: True, lambda path: False]),
    }
)


@SETTINGS
@given(text=st.text(max_size=400), options=OPTIONS)
def test_random_text(text, options):
    _load(text, **options)


@SETTINGS
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "version", "steps", "parameters", "metadata", "domain", "zz"]),
        VALUES,
        max_size=6,
    ),
    options=OPTIONS,
)
def test_random_yaml_documents(data, options):
    _load(yaml.safe_dump(data), **options)


@st.composite
def steps(draw):
    count = draw(st.integers(1, 4))
    result = []
    for index in range(count):
        step_type = draw(st.sampled_from(STEP_TYPES))
        keys = list(step_type.param_names) + ["timeout", "retry_count", "wait_for", "code", "zz"]
        parameters = draw(st.dictionaries(st.sampled_from(keys), VALUES, max_size=5))
        step = {
            "id": draw(st.sampled_from([f"s{index}", "first", "s0", 7])),
            "name": draw(st.sampled_from(["Step", "", None])),
            "type": step_type.id,
            "parameters": parameters,
        }
        step.update(
            draw(
                st.dictionaries(
                    st.sampled_from(
                        ["on_failure", "timeout", "retry_count", "retry_delay", "retry"]
                    ),
                    st.one_of(SCALARS, st.sampled_from(["abort", "continue", "rollback"])),
                    max_size=2,
                )
            )
        )
        result.append(step)
    return result


PARAMETER_DEFINITIONS = st.lists(
    st.fixed_dictionaries(
        {
            "name": NAMES,
            "type": st.sampled_from(["string", "credential", "dict", "integer", "list", "str"]),
        },
        optional={"default": SCALARS, "required": st.booleans()},
    ),
    max_size=4,
)


@SETTINGS
@given(step_list=steps(), parameters=PARAMETER_DEFINITIONS, options=OPTIONS)
def test_random_step_parameters(step_list, parameters, options):
    document = {"name": "P", "version": "1", "parameters": parameters, "steps": step_list}

    _load(yaml.safe_dump(document, sort_keys=False), **options)


YAML_ALPHABET = "ab:-[]{}&*!|>'\"#\n %@`,.?<=\t019~\\"


@SETTINGS
@given(text=st.text(alphabet=YAML_ALPHABET, max_size=200), options=OPTIONS)
def test_random_yaml_like_text(text, options):
    _load(text, **options)
