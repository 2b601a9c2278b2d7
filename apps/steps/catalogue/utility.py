"""Utility steps: sleep, log, variables and (admin-enabled) Python scripts."""

from apps.steps.schema import LegacyKey, Param, ParamType, StepType

FAMILY = "utility"

STEP_TYPES = (
    StepType(
        id="utility.sleep",
        family=FAMILY,
        handler="apps.steps.plugins.utility.sleep.run",
        title="Sleep",
        description="Wait; a cancel lands within half a second.",
        params=(
            Param(
                "seconds",
                ParamType.FLOAT,
                default=1,
                unit="s",
                minimum=0,
                description="How long to sleep.",
            ),
        ),
        outputs=("slept",),
        example={"seconds": 5},
    ),
    StepType(
        id="utility.log",
        family=FAMILY,
        handler="apps.steps.plugins.utility.log.run",
        title="Log a message",
        description="Write a message to the run's log.",
        params=(
            Param("message", ParamType.STRING, default="", description="Text to log."),
            Param(
                "level",
                ParamType.STRING,
                default="info",
                enum=("debug", "info", "warning", "error"),
                description="Log level.",
            ),
        ),
        outputs=("logged", "level"),
        example={"message": "Starting the FAT of {{ project_name }} on {{ gateway_url }}"},
    ),
    StepType(
        id="utility.set_variable",
        family=FAMILY,
        handler="apps.steps.plugins.utility.set_variable.run",
        title="Set a variable",
        description="Store a run variable, read later with `{{ variable.<name> }}`. Inside a "
        "child playbook the variable belongs to the child.",
        params=(
            Param("name", ParamType.STRING, required=True, description="Variable name."),
            Param("value", ParamType.ANY, description="Any value; types are kept."),
        ),
        outputs=("variable", "value"),
        example={"name": "target_version", "value": "8.3.2"},
    ),
    StepType(
        id="utility.python",
        family=FAMILY,
        handler="apps.steps.plugins.utility.python.run",
        title="Run a Python script",
        description="Run a script in a sandbox with a time limit (disabled unless an "
        "administrator enables it): it gets no secrets, no network and, of the portal's "
        "files, only its run's own folder (its working folder and the one place it can "
        "write); it has Python's standard library. Values reach the script as data "
        "through `inputs` (read `inputs['name']`), never spliced into the source. Lines "
        "printed as `KEY=value` become output keys; `_output` holds stdout.",
        params=(
            Param(
                "script",
                ParamType.STRING,
                required=True,
                templated=False,
                description="Python source. Templates are not allowed here.",
            ),
            Param("inputs", ParamType.DICT, description="Values passed to the script as data."),
            Param(
                "network",
                ParamType.BOOLEAN,
                default=False,
                templated=False,
                description="Give the script network access. Runs only where an "
                "administrator allows it (PYTHON_STEPS_NETWORK=true); refused otherwise.",
            ),
        ),
        outputs=None,
        legacy_params=(
            LegacyKey(
                "code",
                "The Python source goes under 'script:'; rename the key",
                ignorable=False,
                replaces="script",
            ),
        ),
        example={
            "script": "print('COUNT=' + str(len(inputs['items'])))",
            "inputs": {"items": "{{ step.discover.inventory }}"},
        },
    ),
)
