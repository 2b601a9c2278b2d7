"""Designer steps: desktop Ignition Designer automation, only on workers with a desktop.

Timeouts are in seconds. Runs are routed to the ``designer`` queue.
"""

from apps.steps.catalogue.common import DESKTOP, artifact_name, timeout_s
from apps.steps.schema import Param, ParamType, StepType

FAMILY = "designer"
_REQ = (DESKTOP,)

STEP_TYPES = (
    StepType(
        id="designer.launch",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_launch",
        title="Launch the Designer",
        description="Start a downloaded Designer launcher and wait for its window.",
        params=(
            Param(
                "launcher_file",
                ParamType.FILE,
                required=True,
                description="Launcher file, or an http(s) URL or gateway path to download it from.",
            ),
        ),
        outputs=("status", "launcher_file"),
        requires=_REQ,
        example={"launcher_file": "{{ designer_launcher }}"},
    ),
    StepType(
        id="designer.launch_shortcut",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_launch_shortcut",
        title="Launch, log in and open a project",
        description="Start the launcher from a shortcut command line, wait for the login "
        "window, log in and open the project. Give `gateway_credential` or `username` and "
        "`password`.",
        params=(
            Param(
                "designer_shortcut",
                ParamType.STRING,
                required=True,
                description="Full launcher command line.",
            ),
            Param("project_name", ParamType.STRING, required=True, description="Project."),
            Param("gateway_credential", ParamType.CREDENTIAL, description="Vault credential."),
            Param("username", ParamType.STRING, description="Gateway user name."),
            Param("password", ParamType.STRING, secret=True, description="Password."),
            timeout_s(60, "How long to wait for the login window."),
        ),
        outputs=("status", "project", "username"),
        requires=_REQ,
        one_of=(("gateway_credential", "username"),),
        exclusive=(("gateway_credential", "username"), ("gateway_credential", "password")),
        example={
            "designer_shortcut": "{{ designer_shortcut }}",
            "project_name": "{{ project_name }}",
            "gateway_credential": "gateway_admin",
            "timeout": 90,
        },
    ),
    StepType(
        id="designer.login",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_login",
        title="Log in to the Designer",
        description="Fill the Designer's login dialog.",
        params=(
            Param("username", ParamType.STRING, required=True, description="User name."),
            Param(
                "password",
                ParamType.STRING,
                required=True,
                secret=True,
                description="Password (a whole credential is accepted).",
            ),
            timeout_s(30, "How long to wait for the dialog."),
        ),
        outputs=("status", "username"),
        requires=_REQ,
        example={
            "username": "{{ credential.designer_user.username }}",
            "password": "{{ credential.designer_user }}",
            "timeout": 45,
        },
    ),
    StepType(
        id="designer.open_project",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_open_project",
        title="Open a project",
        description="Open the named project; without a name the step returns at once so a "
        "person can choose.",
        params=(
            Param("project_name", ParamType.STRING, description="Project to open."),
            timeout_s(30, "How long to wait for the project."),
        ),
        outputs=("status", "project"),
        requires=_REQ,
        example={"project_name": "{{ project_name }}", "timeout": 60},
    ),
    StepType(
        id="designer.close",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_close",
        title="Close the Designer",
        description="Close the Designer window.",
        outputs=("status",),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="designer.screenshot",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_screenshot",
        title="Screenshot the Designer",
        description="Store a screenshot of the Designer window as an artifact.",
        params=(artifact_name("name", "Screenshot name (default `designer_screenshot_<time>`)."),),
        outputs=("screenshot", "status"),
        requires=_REQ,
        example={"name": "designer_project_open"},
    ),
    StepType(
        id="designer.wait",
        family=FAMILY,
        handler="apps.steps.plugins.designer.steps.run_wait",
        title="Wait for the Designer window",
        description="Wait until the Designer window appears.",
        params=(timeout_s(30, "How long to wait."),),
        outputs=("status",),
        requires=_REQ,
        example={"timeout": 60},
    ),
)
