"""What a notification says: a run's summary and the bodies built from it for each preset.

A summary holds only what the run page shows anyone of the team: ids, names, status, times,
and the failed step's error and the run's reason as the run stored them, already masked. No
parameter value, credential or hook secret is ever part of it.
"""

from typing import Any

from django.conf import settings

from apps.executions.models import Execution, StepRun, StepStatus
from apps.notifications.models import Preset

STATUS_COLOURS = {"completed": "2EB67D", "failed": "E01E5A", "error": "E01E5A"}
TEST_TEXT = "Test notification from the Ignition Automation Portal: this destination works."


def run_summary(execution: Execution) -> dict[str, Any]:
    """The facts about a finished run that every notification of it carries."""
    duration = None
    if execution.started_at and execution.finished_at:
        duration = round((execution.finished_at - execution.started_at).total_seconds(), 3)
    step = failed_step(execution)
    return {
        "event": "run.finished",
        "run_id": str(execution.pk),
        "team": execution.team.name,
        "playbook": execution.playbook_name,
        "gateway": execution.gateway.name if execution.gateway is not None else None,
        "status": execution.status,
        "reason": execution.status_reason,
        "duration_seconds": duration,
        "started_at": execution.started_at.isoformat() if execution.started_at else None,
        "finished_at": execution.finished_at.isoformat() if execution.finished_at else None,
        "failed_step": (
            {"id": step.step_id, "name": step.name or step.step_id, "error": step.error}
            if step is not None
            else None
        ),
        "url": f"{settings.PORTAL_URL}{execution.get_absolute_url()}",
    }


def test_summary(team_name: str) -> dict[str, Any]:
    """A summary for the Send test button: no run, and says so."""
    return {
        "event": "test",
        "run_id": None,
        "team": team_name,
        "playbook": None,
        "gateway": None,
        "status": "test",
        "reason": TEST_TEXT,
        "duration_seconds": None,
        "started_at": None,
        "finished_at": None,
        "failed_step": None,
        "url": settings.PORTAL_URL + "/",
    }


def failed_step(execution: Execution) -> StepRun | None:
    """The innermost failed step that failed first (a nested playbook's step, not its caller)."""
    failed = list(execution.steps.filter(status=StepStatus.FAILED).order_by("position"))
    for step in failed:
        if not any(other.path.startswith(f"{step.path}.") for other in failed):
            return step
    return None


def headline(summary: dict[str, Any]) -> str:
    """One line: what ended how, where."""
    if summary["event"] == "test":
        return f"Test notification for team {summary['team']}"
    where = f" on {summary['gateway']}" if summary["gateway"] else ""
    return f"{summary['playbook']} {summary['status']}{where}"


def text(summary: dict[str, Any]) -> str:
    """The summary as a few lines of plain text (email body, chat message)."""
    if summary["event"] == "test":
        return f"{TEST_TEXT}\n{summary['url']}"
    lines = [headline(summary)]
    if summary["duration_seconds"] is not None:
        lines.append(f"Duration: {summary['duration_seconds']:.1f} s")
    step = summary["failed_step"]
    if step is not None:
        lines.append(f"Failed step: {step['name']}: {step['error']}".rstrip(": "))
    elif summary["reason"]:
        lines.append(f"Reason: {summary['reason']}")
    lines.append(f"Run: {summary['url']}")
    return "\n".join(lines)


def webhook_body(preset: str, summary: dict[str, Any]) -> dict[str, Any]:
    """The JSON a webhook of ``preset`` receives."""
    if preset == Preset.SLACK:
        return {"text": text(summary)}
    if preset == Preset.TEAMS:
        return _message_card(summary)
    return summary


def _message_card(summary: dict[str, Any]) -> dict[str, Any]:
    facts = [
        {"name": name, "value": str(summary[key])}
        for name, key in (("Status", "status"), ("Gateway", "gateway"), ("Team", "team"))
        if summary[key]
    ]
    step = summary["failed_step"]
    if step is not None:
        facts.append({"name": "Failed step", "value": f"{step['name']}: {step['error']}"})
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": headline(summary),
        "themeColor": STATUS_COLOURS.get(summary["status"], "808080"),
        "title": headline(summary),
        "text": text(summary),
        "sections": [{"facts": facts}],
        "potentialAction": [
            {
                "@type": "OpenUri",
                "name": "Open in the portal",
                "targets": [{"os": "default", "uri": summary["url"]}],
            }
        ],
    }
