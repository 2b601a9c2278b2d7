"""perspective.discover_page and perspective.extract_component_metadata.

Discovery runs ``discovery.js`` on the root element (shadow roots included); the fields of
each component are listed in docs/perspective.md. Rating needs no browser: it only reads an
inventory.
"""

from datetime import UTC, datetime
from pathlib import Path

from apps.steps.errors import StepError
from apps.steps.params import parse, require
from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, wait_for

SCRIPT = Path(__file__).with_name("discovery.js").read_text()
ROOT_WAIT_MS = 5000
LIMIT = 2000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@browser_step("perspective.discover_page")
def run(session, context, values: dict) -> dict:
    selector = values["selector"]
    exclude = values["exclude_selectors"]
    require(
        all(isinstance(item, str) and item.strip() for item in exclude),
        "'exclude_selectors' must be a list of CSS selectors",
    )
    types = [str(kind).strip().lower() for kind in values.get("types") or []] or None
    try:
        root = wait_for(session, context, selector, "attached", Deadline(ROOT_WAIT_MS))
    except StepError as exc:
        raise StepError(f"No root element to discover: {exc}") from exc
    with session.guarded(context):
        found = root.evaluate(SCRIPT, {"types": types, "exclude": exclude, "limit": LIMIT})
    if found.get("error"):
        raise StepError(found["error"], retryable=False)
    inventory = found["components"]
    if found["truncated"]:
        context.log(f"Discovery stopped at {LIMIT} components; narrow 'selector'.", "warning")
    context.log(f"Discovered {len(inventory)} components under '{selector}'", "info")
    return {
        "status": "discovered",
        "count": len(inventory),
        "inventory": inventory,
        "timestamp": now(),
        "root_selector": selector,
    }


def rate(component: dict, analyzed_at: str) -> dict:
    """One component with its label, id, Perspective and selector-reliability facts added."""
    classes = str(component.get("class") or "").split()
    perspective = bool(
        component.get("component_path")
        or component.get("component_type")
        or any(name.startswith(("ia_", "ia-")) for name in classes)
    )
    if component.get("id") or component.get("component_path"):
        reliability = "high"
    elif component.get("data_attributes"):
        reliability = "medium"
    else:
        reliability = "low"
    return {
        **component,
        "analyzed_at": analyzed_at,
        "has_label": bool(component.get("label") or component.get("aria_label")),
        "has_id": bool(component.get("id")),
        "is_perspective_component": perspective,
        "selector_reliability": reliability,
    }


def run_rate(context, params: dict) -> dict:
    """perspective.extract_component_metadata: rate each component of an inventory."""
    components = parse("perspective.extract_component_metadata", params, context.log)["components"]
    for index, component in enumerate(components):
        require(
            isinstance(component, dict),
            f"'components' item {index + 1} must be a component mapping "
            f"(e.g. from perspective.discover_page), not {type(component).__name__}",
        )
    analyzed_at = now()
    enriched = []
    for component in components:
        context.check()
        enriched.append(rate(component, analyzed_at))
    return {
        "status": "enriched" if enriched else "skipped",
        "enriched_inventory": enriched,
        "count": len(enriched),
    }
