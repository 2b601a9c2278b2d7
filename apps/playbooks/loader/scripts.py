"""Templates inside Python scripts: found one by one, and moved into ``inputs``.

The originals spliced ``{{ reference }}`` text into a ``utility.python`` script before running
it. Here a script never holds references; its values arrive as data in ``inputs``. Only a
``{{ ... }}`` that is a valid reference counts as a template: any other double brace is Python
(``f"{{{x}}}"``, a set inside a dict) and stays as written.

``move_to_inputs`` rewrites a script so that each reference is read from ``inputs`` with the
meaning it had when spliced: inside a string literal its text (``str(inputs["x"])`` or a
replacement field of an f-string), elsewhere in the code the value itself.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from apps.playbooks.templating import TEMPLATE_PATTERN, Reference, TemplateError, parse_reference

_STRING_START = re.compile(r"^([rRbBuUfF]*)('''|\"\"\"|'|\")")


class ScriptRewriteError(ValueError):
    """The script cannot be rewritten automatically; the message says why."""


@dataclass(frozen=True)
class Occurrence:
    """One reference in a script: where it starts (character offset) and what it is."""

    start: int
    end: int
    reference: Reference


def script_references(script: str) -> list[Occurrence]:
    """Every ``{{ ... }}`` in ``script`` that is a valid reference, in order."""
    found = []
    for match in TEMPLATE_PATTERN.finditer(script):
        try:
            reference = parse_reference(match.group(0))
        except TemplateError:
            continue  # Python braces, not a template
        found.append(Occurrence(match.start(), match.end(), reference))
    return found


@dataclass
class InputNames:
    """Input names for references: one name per reference, unique within the step."""

    names: dict[str, str] = field(default_factory=dict)  # reference expression -> name
    taken: dict[str, str] = field(default_factory=dict)  # name -> reference text

    def name_for(self, reference: Reference) -> str:
        if reference.expression in self.names:
            return self.names[reference.expression]
        parts = (reference.name, *reference.path)
        base = re.sub(r"\W", "_", "_".join(parts)) or "value"
        name, counter = base, 1
        while name in self.taken and self.taken[name] != reference.text:
            counter += 1
            name = f"{base}_{counter}"
        self.names[reference.expression] = name
        self.taken[name] = reference.text
        return name


def move_to_inputs(script: str, names: InputNames) -> str:
    """Return ``script`` with every reference read from ``inputs``; ``names`` records them."""
    strings = _string_spans(script)
    result, position = [], 0
    for start, end in strings:
        if not script_references(script[start:end]):
            continue
        result.append(_code(script[position:start], names))
        result.append(_string(script[start:end], names))
        position = end
    result.append(_code(script[position:], names))
    return "".join(result)


def _string_spans(script: str) -> list[tuple[int, int]]:
    """Character spans of the string literals of ``script`` (f-strings are one token)."""
    offsets = [0]
    for line in re.findall(r"[^\n]*\n|[^\n]+$", script):
        offsets.append(offsets[-1] + len(line))
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(script).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise ScriptRewriteError(f"the script is not valid Python ({exc})") from None
    return [
        (offsets[t.start[0] - 1] + t.start[1], offsets[t.end[0] - 1] + t.end[1])
        for t in tokens
        if t.type == tokenize.STRING
    ]


def _code(text: str, names: InputNames) -> str:
    """References written as code: the value itself."""
    out, position = [], 0
    for occurrence in script_references(text):
        out.append(text[position : occurrence.start])
        out.append(f'inputs["{names.name_for(occurrence.reference)}"]')
        position = occurrence.end
    out.append(text[position:])
    return "".join(out)


def _string(literal: str, names: InputNames) -> str:
    """References inside a string literal: their text, as the splice gave it."""
    prefix, quote = _STRING_START.match(literal).groups()
    if "b" in prefix.lower():
        raise ScriptRewriteError("a reference inside a bytes literal cannot become an input")
    body = literal[len(prefix) + len(quote) : len(literal) - len(quote)]
    occurrences = script_references(body)
    is_f = "f" in prefix.lower()
    only = occurrences[0]
    if not is_f and len(occurrences) == 1 and (only.start, only.end) == (0, len(body)):
        return f'str(inputs["{names.name_for(only.reference)}"])'
    inner = "'" if '"' in quote else '"'
    parts, position = [], 0
    for occurrence in occurrences:
        parts.append(_literal(body[position : occurrence.start], escape=not is_f))
        parts.append(f"{{inputs[{inner}{names.name_for(occurrence.reference)}{inner}]}}")
        position = occurrence.end
    parts.append(_literal(body[position:], escape=not is_f))
    new_prefix = "f" + ("r" if "r" in prefix.lower() else "")
    return f"{new_prefix}{quote}{''.join(parts)}{quote}"


def _literal(text: str, *, escape: bool) -> str:
    return text.replace("{", "{{").replace("}", "}}") if escape else text
