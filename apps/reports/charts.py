"""The trends charts as SVG geometry, drawn by the page's templates on the server: no
script, no inline style (the portal's CSP allows neither); colours come from reports.css."""

from dataclasses import dataclass, field

from apps.reports.trends import DayFigures

WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 10, 22
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
BASELINE = TOP + PLOT_HEIGHT
NICE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200)


@dataclass
class Mark:
    """A bar (``width``, ``height`` up from ``y``, ``rest`` above it) or a point (``x``, ``y``),
    with its tooltip."""

    x: float
    y: float
    title: str
    width: float = 0
    height: float = 0
    rest: float = 0


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = BASELINE
    label_y: int = HEIGHT - 6
    y_max_label: str = ""
    first_day: str = ""
    last_day: str = ""
    bars: list[Mark] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=dict)
    points: dict[str, list[Mark]] = field(default_factory=dict)


def seconds_label(seconds: float | None) -> str:
    """A duration as people read it: ``42 s``, ``3.5 min``, ``1.2 h``."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.3g} s"
    if seconds < 3600:
        return f"{seconds / 60:.2g} min"
    return f"{seconds / 3600:.2g} h"


def pass_rate_chart(buckets: list[DayFigures]) -> Chart:
    """A bar per day with runs: the share that passed from the bottom, the rest (failed) above
    it, so a day where everything failed still shows."""
    chart = _frame(buckets, "100%")
    band = PLOT_WIDTH / len(buckets)
    for index, bucket in enumerate(buckets):
        if not bucket.runs:
            continue
        height = bucket.pass_rate * PLOT_HEIGHT
        chart.bars.append(
            Mark(
                x=round(LEFT + index * band + band * 0.15, 2),
                y=round(BASELINE - height, 2),
                width=round(band * 0.7, 2),
                height=round(height, 2),
                rest=round(PLOT_HEIGHT - height, 2),
                title=f"{bucket.day:%Y-%m-%d}: {bucket.passed} of {bucket.runs} passed "
                f"({bucket.pass_rate:.0%})",
            )
        )
    return chart


def duration_chart(buckets: list[DayFigures]) -> Chart:
    """The median and the 95th percentile of each day's durations, as two lines broken on
    days without runs."""
    highest = max((b.p95_seconds or 0 for b in buckets), default=0)
    top = next((step for step in NICE_STEPS if step >= highest), highest) or 1
    chart = _frame(buckets, seconds_label(top))
    band = PLOT_WIDTH / len(buckets)
    for name in ("p95", "median"):
        path, points, joined = [], [], False
        for index, bucket in enumerate(buckets):
            value = getattr(bucket, f"{name}_seconds")
            if value is None:
                joined = False
                continue
            x = round(LEFT + (index + 0.5) * band, 2)
            y = round(BASELINE - value / top * PLOT_HEIGHT, 2)
            path.append(f"{'L' if joined else 'M'}{x} {y}")
            joined = True
            label = "median" if name == "median" else "95th percentile"
            points.append(
                Mark(x=x, y=y, title=f"{bucket.day:%Y-%m-%d}: {label} {seconds_label(value)}")
            )
        chart.lines[name] = " ".join(path)
        chart.points[name] = points
    return chart


def _frame(buckets: list[DayFigures], y_max_label: str) -> Chart:
    return Chart(
        y_max_label=y_max_label,
        first_day=f"{buckets[0].day:%b %d}",
        last_day=f"{buckets[-1].day:%b %d}",
    )
