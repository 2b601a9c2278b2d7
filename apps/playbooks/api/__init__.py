"""The playbook API: playbooks, presets and the step-type catalogue."""

from apps.playbooks.api.playbooks import PlaybookViewSet
from apps.playbooks.api.presets import PresetViewSet
from apps.playbooks.api.step_types import StepTypeListView

__all__ = ["PlaybookViewSet", "PresetViewSet", "StepTypeListView"]
