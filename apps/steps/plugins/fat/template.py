"""The FAT report page: one HTML document with inline CSS and images, nothing fetched."""

from html import escape

STYLE = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2733; margin: 24px; }
header { border-bottom: 3px solid #1b5fb0; margin-bottom: 16px; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { font-size: 18px; margin-top: 28px; }
.meta { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 12px 0; }
.meta div, .card { background: #f2f5f9; border-radius: 6px; padding: 8px 10px; }
.meta b { display: block; font-size: 11px; color: #5b6877; text-transform: uppercase; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 8px; }
.card strong { display: block; font-size: 22px; }
.passed { color: #2e7d32; } .failed { color: #c62828; } .skipped { color: #8d6e00; }
table { width: 100%; border-collapse: collapse; font-size: 12px; }
th, td { border-bottom: 1px solid #d5dbe3; padding: 6px; text-align: left; vertical-align: top; }
tr { page-break-inside: avoid; }
figure { margin: 12px 0; page-break-inside: avoid; }
figure img { max-width: 100%; border: 1px solid #d5dbe3; }
figcaption { font-size: 12px; color: #5b6877; }
"""
MARKS = {"passed": "✓", "failed": "✗", "skipped": "–"}
META_FIELDS = (
    ("project_name", "Project"),
    ("test_date", "Test date"),
    ("tester", "Tester"),
    ("client", "Client"),
)


def _text(value) -> str:
    return "" if value is None else escape(str(value))


def _cards(summary: dict) -> str:
    cards = [
        ("Total", summary["total"], ""),
        ("Passed", summary["passed"], "passed"),
        ("Failed", summary["failed"], "failed"),
        ("Skipped", summary["skipped"], "skipped"),
        ("Pass rate", f"{summary['pass_rate']:g}%", ""),
    ]
    return "".join(
        f'<div class="card"><span>{label}</span><strong class="{css}">{value}</strong></div>'
        for label, value, css in cards
    )


def _row(number: int, result: dict, shot: str | None) -> str:
    status = str(result.get("status") or "failed")
    link = f'<a href="#shot-{number}">Screenshot {number}</a>' if shot else ""
    cells = [
        number,
        MARKS.get(status, "?"),
        result.get("component_id"),
        result.get("action"),
        result.get("expected"),
        result.get("actual"),
        result.get("error"),
    ]
    tds = "".join(f"<td>{_text(cell)}</td>" for cell in cells)
    return f'<tr class="{_text(status)}">{tds}<td>{link}</td></tr>'


def _visual(visual: dict | None) -> str:
    if not visual:
        return "<p>No visual analysis was supplied.</p>"
    report = visual.get("report") if isinstance(visual.get("report"), dict) else {}
    compliance = report.get("compliance") if isinstance(report.get("compliance"), dict) else {}
    issues = visual.get("issues") if isinstance(visual.get("issues"), list) else []
    items = "".join(f"<li>{_text(issue)}</li>" for issue in issues)
    return (
        f"<p>Issues found: <strong>{_text(visual.get('issues_count', len(issues)))}</strong>. "
        f"Checks passed: {_text(compliance.get('passed', 0))}, failed: "
        f"{_text(compliance.get('failed', 0))}, warnings: {_text(compliance.get('warnings', 0))}."
        f"</p>" + (f"<ul>{items}</ul>" if items else "")
    )


def render_report(
    title: str, meta: dict, summary: dict, results: list, shots: dict, visual: dict | None
) -> str:
    """The report; ``shots`` maps a result's number to its screenshot as a data URI."""
    meta_html = "".join(
        f"<div><b>{label}</b>{_text(meta.get(key)) or '—'}</div>" for key, label in META_FIELDS
    )
    rows = "".join(_row(n, r, shots.get(n)) for n, r in enumerate(results, start=1))
    figures = "".join(
        f'<figure id="shot-{n}"><img src="{uri}" alt="Screenshot of test {n}">'
        f"<figcaption>Test {n}: {_text(results[n - 1].get('component_id'))} "
        f"({_text(results[n - 1].get('status'))})</figcaption></figure>"
        for n, uri in sorted(shots.items())
    )
    head = "<th>#</th><th></th><th>Component</th><th>Action</th><th>Expected</th>"
    head += "<th>Actual</th><th>Error</th><th>Screenshot</th>"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_text(title)}'
        f"</title><style>{STYLE}</style></head><body><header><h1>{_text(title)}</h1>"
        f"<p>Report {_text(meta.get('report_id'))}, generated {_text(meta.get('generated_at'))}"
        f'</p></header><section class="meta">{meta_html}</section>'
        f'<section class="cards">{_cards(summary)}</section><h2>Test results</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows or _EMPTY}</tbody></table>"
        f"<h2>Visual consistency</h2>{_visual(visual)}"
        f"<h2>Screenshots</h2>{figures or '<p>No screenshots.</p>'}</body></html>"
    )


_EMPTY = '<tr><td colspan="8">No tests were run.</td></tr>'
