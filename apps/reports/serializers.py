"""The JSON shape of a playbook's or a gateway's trends (``/api/v1/…/trends/``)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class DayFiguresOutput(serializers.Serializer):
    day = serializers.DateField(help_text="The day the runs ended (the portal's time zone).")
    runs = serializers.IntegerField(help_text="Runs that passed or failed; cancelled left out.")
    passed = serializers.IntegerField()
    failed = serializers.IntegerField(help_text="Failed runs and runs ended by an error.")
    pass_rate = serializers.FloatField(allow_null=True, help_text="passed / runs; null: no run.")
    median_seconds = serializers.FloatField(allow_null=True)
    p95_seconds = serializers.FloatField(
        allow_null=True, help_text="The 95th percentile (continuous) of the day's durations."
    )


class FlakyStepOutput(serializers.Serializer):
    playbook = serializers.IntegerField(source="playbook_id", allow_null=True)
    playbook_name = serializers.CharField()
    path = serializers.CharField(help_text="Where the step is: 2 the third, 2.0 in a child.")
    step_id = serializers.CharField()
    name = serializers.CharField()
    flips = serializers.IntegerField(help_text="Passed↔failed changes from one run to the next.")
    retry_passes = serializers.IntegerField(help_text="Runs where it passed on a retry.")
    last_failure_execution = serializers.UUIDField(
        source="last_failure_execution_id", allow_null=True
    )
    last_failure_at = serializers.DateTimeField(allow_null=True)
    last_seen_at = serializers.DateTimeField()


class LastFailureOutput(serializers.Serializer):
    execution = serializers.UUIDField(source="execution_id")
    finished_at = serializers.DateTimeField()
    status = serializers.CharField()
    status_reason = serializers.CharField()
    screenshot_name = serializers.CharField(allow_null=True)
    screenshot_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_screenshot_url(self, failure) -> str | None:
        """The screenshot through the API's artifact download (the run's access rules)."""
        if failure.screenshot_id is None:
            return None
        args = [failure.execution_id, failure.screenshot_id]
        return reverse("api-execution-artifact", args=args)


class TrendsOutput(serializers.Serializer):
    days = serializers.IntegerField()
    since = serializers.DateField(help_text="The first day of the window.")
    runs = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True)
    buckets = DayFiguresOutput(many=True, help_text="One per day of the window, oldest first.")
    flaky_runs = serializers.IntegerField(help_text="How many last runs flaky steps are read in.")
    flaky_steps = FlakyStepOutput(many=True, source="flaky")
    last_failure = LastFailureOutput(allow_null=True)
