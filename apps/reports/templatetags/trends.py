from django import template

from apps.reports.charts import seconds_label

register = template.Library()


@register.filter
def seconds(value: float | None) -> str:
    """A duration in seconds as people read it (``42 s``, ``3.5 min``); ``—`` for none."""
    return seconds_label(value)


@register.filter
def percent(value: float | None) -> str:
    """A share (0..1) as a whole percentage; ``—`` for none."""
    return "—" if value is None else f"{value:.0%}"
