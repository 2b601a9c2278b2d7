from django.apps import AppConfig


class StepsConfig(AppConfig):
    name = "apps.steps"
    label = "steps"
    verbose_name = "Step types"
