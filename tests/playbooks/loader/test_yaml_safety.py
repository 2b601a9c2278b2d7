"""Safe YAML: size, aliases, nesting, tags, duplicate keys; every problem has a position."""

import pytest

from apps.playbooks.loader import load_playbook
from apps.playbooks.loader.source import MAX_BYTES, MAX_DEPTH, Marks
from tests.playbooks.loader.helpers import HEADER, errors

STEP = "steps:\n  - {id: a, name: A, type: utility.log}\n"


@pytest.mark.parametrize(
    ("_case", "source", "expected"),
    [
        (
            "syntax",
            "name: [a\nversion: 1\n",
            "pb.yaml:2:8: Invalid YAML: while parsing a flow sequence expected ',' or ']', but got "
            "':'",
        ),
        (
            "tab indentation",
            "name: a\n\tversion: 1\n",
            "pb.yaml:2:1: Invalid YAML: while scanning for the next token found character '\\t' "
            "that cannot start any token",
        ),
        (
            "empty",
            "",
            "pb.yaml: The playbook is empty. Start with 'name:', 'version:' and 'steps:'",
        ),
        (
            "comment only",
            "# nothing\n",
            "pb.yaml: The playbook is empty. Start with 'name:', 'version:' and 'steps:'",
        ),
        (
            "two documents",
            HEADER + STEP + "---\nname: b\n",
            "pb.yaml:5:1: Invalid YAML: expected a single document in the stream but found another "
            "document",
        ),
        (
            "alias",
            "a: &x [1, 2]\nb: *x\n",
            "pb.yaml:2:4: YAML aliases (*name) are not allowed. "
            "Repeat the value instead of referring to an anchor (&name)",
        ),
        (
            "merge key",
            "a: 1\n<<: {b: 2}\n",
            "pb.yaml:2:1: YAML merge keys (<<) are not allowed. Write the keys out",
        ),
        (
            "python tag",
            "a: !!python/object:os.system {}\n",
            "pb.yaml:1:4: The YAML tag 'tag:yaml.org,2002:python/object:os.system' is not "
            "supported",
        ),
        (
            "custom scalar tag",
            "a: !secret x\n",
            "pb.yaml:1:4: The YAML tag '!secret' is not "
            "supported. Use plain text, numbers, booleans, lists and mappings",
        ),
        (
            "binary",
            "a: !!binary aGVsbG8=\n",
            "pb.yaml:1:4: The YAML tag "
            "'tag:yaml.org,2002:binary' is not supported. Use plain text, numbers, booleans, lists "
            "and mappings",
        ),
        (
            "set",
            "a: !!set {x}\n",
            "pb.yaml:1:4: The YAML tag 'tag:yaml.org,2002:set' is not supported",
        ),
        (
            "ordered map",
            "a: !!omap [x: 1]\n",
            "pb.yaml:1:4: The YAML tag 'tag:yaml.org,2002:omap' is not supported",
        ),
        (
            "invalid int",
            "a: !!int twelve\n",
            "pb.yaml:1:4: Invalid value 'twelve': invalid literal for int() with base 10: 'twelve'",
        ),
        ("not a number", "a: .nan\n", "pb.yaml:1:4: '.nan' is not a finite number"),
        ("infinity", "a: -.inf\n", "pb.yaml:1:4: '-.inf' is not a finite number"),
        (
            "control character",
            "a: \x07\n",
            "pb.yaml: Invalid YAML: unacceptable character #x0007: "
            'special characters are not allowed\n  in "<unicode string>", position 3',
        ),
    ],
)
def test_fatal_yaml_problems(_case, source, expected):
    assert errors(source) == [expected]


def test_size_limit():
    source = HEADER + STEP + "# " + "x" * MAX_BYTES + "\n"

    size = len(source.encode())

    assert size > MAX_BYTES
    assert errors(source) == [
        f"pb.yaml: The playbook is {size} bytes; the limit is {MAX_BYTES} bytes"
    ]


def test_billion_laughs_is_refused_before_expansion():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(8)
    ]

    assert errors("\n".join(lines)) == [
        "pb.yaml:2:8: YAML aliases (*name) are not allowed. Repeat the value instead of "
        "referring to an anchor (&name)"
    ]


def test_nesting_limit():
    source = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"

    assert errors(source) == [
        f"pb.yaml:1:{MAX_DEPTH + 3}: The YAML is nested more than {MAX_DEPTH} levels deep"
    ]


def test_very_deep_nesting_does_not_recurse():
    assert len(errors("[" * 200_000)) == 1


def test_duplicate_and_non_text_keys_are_all_reported():
    source = HEADER + "name: again\n1: x\n? [a]\n: y\n" + STEP

    assert errors(source) == [
        "pb.yaml:3:1: Duplicate key 'name' (first written on line 1). Keep one of them",
        "pb.yaml:4:1: Mapping keys must be text, found '1'. Quote it: '\"1\":'",
        "pb.yaml:5:3: Mapping keys must be text, found 'a list or mapping'",
    ]


def test_dates_stay_text_and_anchors_alone_are_harmless():
    source = HEADER + "metadata: {created: 2025-10-30, when: &w 2025-10-30 10:00:00}\n" + STEP

    playbook = load_playbook(source)

    assert playbook.metadata == {"created": "2025-10-30", "when": "2025-10-30 10:00:00"}


def test_marks_fall_back_to_the_nearest_known_node():
    marks = Marks(keys={("a",): (1, 1)}, values={("a",): (1, 4)})

    assert marks.position(("a", "b", 3)) == (1, 4)
    assert marks.position(("a",), at_key=True) == (1, 1)
    assert marks.position(("zz",)) == (None, None)
    assert Marks(keys={("a",): (2, 1)}).position(("a", "x")) == (2, 1)
