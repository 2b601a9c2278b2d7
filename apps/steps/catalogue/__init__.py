"""Built-in step types, one module per family; each module exposes ``STEP_TYPES``."""

BUILTIN_MODULES = (
    "apps.steps.catalogue.gateway",
    "apps.steps.catalogue.browser",
    "apps.steps.catalogue.designer",
    "apps.steps.catalogue.playbook",
    "apps.steps.catalogue.utility",
    "apps.steps.catalogue.perspective",
    "apps.steps.catalogue.fat",
    "apps.steps.catalogue.ai",
)
