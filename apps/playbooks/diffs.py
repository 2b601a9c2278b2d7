"""Unified diffs shown on pages: each line with the kind the page colours it by."""


def diff_lines(text: str) -> list[tuple[str, str]]:
    """``(kind, line)`` for each line of a unified diff; kind is file, added, removed, hunk or
    context."""
    return [(_kind(line), line) for line in text.splitlines()]


def _kind(line: str) -> str:
    if line.startswith(("+++", "---")):
        return "file"
    return {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "context")
