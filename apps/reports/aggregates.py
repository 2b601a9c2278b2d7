"""SQL the ORM lacks for trends: seconds between two timestamps, and PostgreSQL's
``percentile_cont`` as an aggregate."""

from django.db.models import Aggregate, F, FloatField, Func


class SecondsBetween(Func):
    """``end - start`` in seconds (a float), NULL when either is."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))


class PercentileCont(Aggregate):
    """The continuous percentile ``fraction`` (0..1) of ``expression`` over the group."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction is between 0 and 1.")
        super().__init__(expression, fraction=float(fraction), **extra)
