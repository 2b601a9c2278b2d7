"""Gateway steps: the originals' REST steps, reimplemented against real 8.1/8.3 gateways.

The target gateway is the playbook's ``gateway_url`` parameter (filled from the execution's
target), else a credential's gateway URL (docs/gateway-steps.md). File parameters are paths on
the worker; a relative path resolves against the run's artifacts folder (earlier downloads).
The steps the originals lacked are declared in ``gateway_admin`` and registered with these.
"""

from apps.steps.catalogue.common import GATEWAY, timeout_s
from apps.steps.catalogue.gateway_admin import NEW
from apps.steps.schema import Param, ParamType, StepType

FAMILY = "gateway"
_REQ = (GATEWAY,)

_USERNAME = Param("username", ParamType.STRING, required=True, description="Gateway user name.")
_PASSWORD = Param(
    "password",
    ParamType.STRING,
    required=True,
    secret=True,
    description="Password; `{{ credential.NAME }}` passes a whole vault credential.",
)

ORIGINALS = (
    StepType(
        id="gateway.login",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.session.run",
        title="Log in to the gateway",
        description="Log in and keep the session (and the credentials for automatic re-login). "
        "A password that is an API-token credential switches the run to token auth (8.3).",
        params=(_USERNAME, _PASSWORD),
        outputs=("status", "mode", "version"),
        requires=_REQ,
        example={
            "username": "{{ credential.gateway_admin.username }}",
            "password": "{{ credential.gateway_admin }}",
        },
    ),
    StepType(
        id="gateway.logout",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.session.run_logout",
        title="Log out of the gateway",
        description="Best effort: forget the login (session cookie, credentials, token). "
        "Ignition has no known logout route, so the gateway's web session ends only when it "
        "expires; the `note` output says so.",
        outputs=("status", "note"),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.ping",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.status.run",
        title="Ping the gateway",
        description="Request /StatusPing; `response` is true when the gateway answers 200, "
        "`state` is its state (RUNNING, STARTING, ...). Never fails.",
        outputs=("status", "response", "state"),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.get_info",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.status.run_get_info",
        title="Read gateway information",
        description="Read name, version, edition and state from /system/gwinfo; on 8.3 with a "
        "login also the licence mode and the whole gateway-info answer.",
        outputs=("info",),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.get_health",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.status.run_get_health",
        title="Read gateway health",
        description="Ping plus (8.3, logged in) the overview: health, state, uptime, memory "
        "and CPU figures.",
        outputs=("health",),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.list_modules",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.modules.run",
        title="List installed modules",
        description="List the modules with id, name, version, state and licence state (8.3).",
        outputs=("modules", "count"),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.upload_module",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.modules.run_upload",
        title="Install a module file",
        description="Upload a `.modl` file, accept its certificate and licence, and install it "
        "(8.3). The module runs after a gateway restart. Then reads the module lists back: "
        "fails when the gateway quarantined the module (unsigned or untrusted), or does not "
        "list the uploaded version (or an upgrade waiting for the restart).",
        params=(
            Param("file", ParamType.FILE, required=True, description="Path of the .modl file."),
        ),
        outputs=("module_id", "version", "restart_required"),
        requires=_REQ,
        example={"file": "{{ module_file }}"},
    ),
    StepType(
        id="gateway.wait_for_module_installation",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.modules.run_wait",
        title="Wait for a module to run",
        description="Poll the module list until the module (name or id) is ACTIVE, with no "
        "upgrade waiting and (when `version` is given) that version; fail when it reports a "
        "failed state, is quarantined, or the timeout passes. Cancellable.",
        params=(
            Param("module_name", ParamType.STRING, required=True, description="Module name."),
            Param(
                "version",
                ParamType.STRING,
                description="The version that must be running, e.g. the upload step's "
                "`version` output (the gateway's build stamp is ignored).",
            ),
            timeout_s(300, "How long to wait for the module to be running."),
        ),
        outputs=("status", "module_name", "version"),
        requires=_REQ,
        example={"module_name": "Perspective", "timeout": 600},
    ),
    StepType(
        id="gateway.uninstall_module",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.modules.run_uninstall",
        title="Uninstall a module",
        description="Uninstall a module (8.3 REST API: `modules/uninstall`), restart the gateway "
        "and wait for it, then check the module is no longer listed; fails naming its state "
        "when it still is. With `restart` false, only asks for the removal (done at the next "
        "restart) and checks nothing.",
        params=(
            Param("module_id", ParamType.STRING, required=True, description="Id of the module."),
            Param(
                "restart",
                ParamType.BOOLEAN,
                default=True,
                description="Restart the gateway so the removal takes effect, and check it.",
            ),
            timeout_s(300, "How long to wait for the gateway after the restart."),
        ),
        outputs=("status", "module_id"),
        requires=_REQ,
        example={"module_id": "{{ module_id }}", "timeout": 600},
    ),
    StepType(
        id="gateway.list_projects",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.projects.run",
        title="List projects",
        description="List the gateway's projects.",
        outputs=("projects", "count"),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.get_project",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.projects.run_get",
        title="Read one project",
        description="Read one project; fails with a clear message when it does not exist.",
        params=(Param("project_name", ParamType.STRING, required=True, description="Project."),),
        outputs=("project",),
        requires=_REQ,
        example={"project_name": "{{ project_name }}"},
    ),
    StepType(
        id="gateway.restart",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.status.run_restart",
        title="Restart the gateway",
        description="Restart the gateway (8.3 REST API; 8.1 has none), optionally waiting "
        "until it went down and answers RUNNING again.",
        params=(
            Param("wait_for_ready", ParamType.BOOLEAN, default=False, description="Wait after."),
            timeout_s(120, "How long to wait for the gateway to come back."),
        ),
        outputs=("status",),
        requires=_REQ,
        example={"wait_for_ready": True, "timeout": 300},
    ),
    StepType(
        id="gateway.wait_for_ready",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.status.run_wait_for_ready",
        title="Wait until the gateway is ready",
        description="Poll /StatusPing until the gateway is running. Cancellable.",
        params=(timeout_s(120, "How long to wait."),),
        outputs=("status", "waited_s"),
        requires=_REQ,
        example={"timeout": 180},
    ),
)

STEP_TYPES = ORIGINALS + NEW
