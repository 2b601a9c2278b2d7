"""Gateway steps: the originals' REST steps, reimplemented against real 8.1/8.3 gateways.

The target gateway is the playbook's ``gateway_url`` parameter (filled from the execution's
target), else a credential's gateway URL (docs/gateway-steps.md). File parameters are paths on
the worker; a relative path resolves against the run's artifacts folder (earlier downloads).
"""

from apps.steps.catalogue.common import GATEWAY, artifact_name, timeout_s
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
        title="Log in to the gateway",
        description="Log in and keep the session (and the credentials for automatic re-login). "
        "A password that is an API-token credential switches the run to token auth (8.3).",
        params=(_USERNAME, _PASSWORD),
        outputs=("status", "mode", "version"),
        requires=_REQ,
        example={"username": "{{ credential.gw.username }}", "password": "{{ credential.gw }}"},
    ),
    StepType(
        id="gateway.logout",
        family=FAMILY,
        title="Log out of the gateway",
        description="End the gateway session.",
        outputs=("status",),
        requires=_REQ,
    ),
    StepType(
        id="gateway.ping",
        family=FAMILY,
        title="Ping the gateway",
        description="Request /StatusPing; `response` is true when the gateway answers 200, "
        "`state` is its state (RUNNING, STARTING, ...). Never fails.",
        outputs=("status", "response", "state"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.get_info",
        family=FAMILY,
        title="Read gateway information",
        description="Read name, version, edition and state from /system/gwinfo; on 8.3 with a "
        "login also the licence mode and the whole gateway-info answer.",
        outputs=("info",),
        requires=_REQ,
    ),
    StepType(
        id="gateway.get_health",
        family=FAMILY,
        title="Read gateway health",
        description="Ping plus (8.3, logged in) the overview: health, state, uptime, memory "
        "and CPU figures.",
        outputs=("health",),
        requires=_REQ,
    ),
    StepType(
        id="gateway.list_modules",
        family=FAMILY,
        title="List installed modules",
        description="List the modules with id, name, version, state and licence state (8.3).",
        outputs=("modules", "count"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.upload_module",
        family=FAMILY,
        title="Install a module file",
        description="Upload a `.modl` file, accept its certificate and licence, and install it "
        "(8.3). The module runs after a gateway restart.",
        params=(
            Param("file", ParamType.FILE, required=True, description="Path of the .modl file."),
        ),
        outputs=("module_id", "restart_required"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.wait_for_module_installation",
        family=FAMILY,
        title="Wait for a module to run",
        description="Poll the module list until the module (name or id) is ACTIVE; fail when "
        "it reports a failed state or the timeout passes. Cancellable.",
        params=(
            Param("module_name", ParamType.STRING, required=True, description="Module name."),
            timeout_s(300, "How long to wait for the module to be running."),
        ),
        outputs=("status", "module_name", "version"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.list_projects",
        family=FAMILY,
        title="List projects",
        description="List the gateway's projects.",
        outputs=("projects", "count"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.get_project",
        family=FAMILY,
        title="Read one project",
        description="Read one project; fails with a clear message when it does not exist.",
        params=(Param("project_name", ParamType.STRING, required=True, description="Project."),),
        outputs=("project",),
        requires=_REQ,
    ),
    StepType(
        id="gateway.restart",
        family=FAMILY,
        title="Restart the gateway",
        description="Restart the gateway (8.3 REST API; 8.1 has none), optionally waiting "
        "until it went down and answers RUNNING again.",
        params=(
            Param("wait_for_ready", ParamType.BOOLEAN, default=False, description="Wait after."),
            timeout_s(120, "How long to wait for the gateway to come back."),
        ),
        outputs=("status",),
        requires=_REQ,
    ),
    StepType(
        id="gateway.wait_for_ready",
        family=FAMILY,
        title="Wait until the gateway is ready",
        description="Poll /StatusPing until the gateway is running. Cancellable.",
        params=(timeout_s(120, "How long to wait."),),
        outputs=("status", "waited_s"),
        requires=_REQ,
    ),
)

_FILE_IN = Param("file", ParamType.FILE, required=True, description="File to send.")

NEW = (
    StepType(
        id="gateway.backup",
        family=FAMILY,
        title="Download a gateway backup",
        description="Stream a `.gwbk` backup (8.3 REST API) into an artifact of the run.",
        params=(
            Param("type", ParamType.STRING, enum=("roaming", "all"), description="Backup kind."),
            Param(
                "include_peer_local",
                ParamType.BOOLEAN,
                default=False,
                description="Include the redundant peer's local data.",
            ),
            artifact_name("name", "File name of the backup artifact (default gateway name+time)."),
            timeout_s(300, "How long the gateway may take to produce the backup."),
        ),
        outputs=("status", "artifact", "size_bytes"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.restore",
        family=FAMILY,
        title="Restore a gateway backup",
        description="Upload a `.gwbk` file; the gateway restores it and restarts. API tokens may "
        "be wiped by the restore.",
        params=(
            _FILE_IN,
            Param(
                "restore_disabled",
                ParamType.BOOLEAN,
                default=False,
                description="Restore with every project and connection disabled.",
            ),
            Param(
                "disable_temp_project_backup",
                ParamType.BOOLEAN,
                default=False,
                description="Skip the gateway's temporary project backup.",
            ),
            Param(
                "rename_enabled",
                ParamType.BOOLEAN,
                default=False,
                description="Rename the gateway to `new_name`.",
            ),
            Param("new_name", ParamType.STRING, description="New gateway name."),
            Param(
                "wait_for_ready",
                ParamType.BOOLEAN,
                default=True,
                description="Wait for the restart that follows the restore.",
            ),
            timeout_s(300, "How long the restore and restart may take."),
        ),
        outputs=("status",),
        requires=_REQ,
    ),
    StepType(
        id="gateway.trial_status",
        family=FAMILY,
        title="Read the trial state",
        description="Read licence mode, remaining trial seconds and whether the trial expired "
        "(8.3 /trial; 8.1 the home page countdown).",
        outputs=("license_mode", "trial_state", "trial_seconds_left", "expired"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.reset_trial",
        family=FAMILY,
        title="Reset an expired trial",
        description="Reset the 2-hour trial through a web session (8.3) or the home page (8.1). "
        "Gateways only allow it once the trial expired; `only_if_expired` makes a running trial "
        "a no-op instead of a failure.",
        params=(
            Param(
                "username",
                ParamType.STRING,
                description="Administrator (default: the logged-in user or the run's credential).",
            ),
            Param("password", ParamType.STRING, secret=True, description="Password."),
            Param(
                "only_if_expired",
                ParamType.BOOLEAN,
                default=True,
                description="Succeed without resetting while the trial still runs.",
            ),
            timeout_s(60, "How long the reset may take."),
        ),
        outputs=("status", "trial_seconds_left", "reset"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.export_project",
        family=FAMILY,
        title="Export a project",
        description="Download a project export zip into an artifact of the run.",
        params=(
            Param("project_name", ParamType.STRING, required=True, description="Project."),
            artifact_name("name", "File name of the zip artifact (default `<project>.zip`)."),
            timeout_s(120, "How long the export may take."),
        ),
        outputs=("status", "artifact", "size_bytes"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.import_project",
        family=FAMILY,
        title="Import a project",
        description="Upload a project export zip under the given name.",
        params=(
            Param("project_name", ParamType.STRING, required=True, description="Project."),
            _FILE_IN,
            Param(
                "overwrite",
                ParamType.BOOLEAN,
                default=False,
                description="Replace an existing project of that name (otherwise the step fails).",
            ),
            timeout_s(120, "How long the import may take."),
        ),
        outputs=("status", "project_name"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.export_tags",
        family=FAMILY,
        title="Export tags",
        description="Export a tag provider (or a folder of it) into an artifact of the run; "
        "`tags` counts the exported tags (JSON only).",
        params=(
            Param("provider", ParamType.STRING, default="default", description="Tag provider."),
            Param(
                "format",
                ParamType.STRING,
                default="json",
                enum=("json", "xml"),
                description="Export format.",
            ),
            Param(
                "path",
                ParamType.STRING,
                default="",
                description="Folder inside the provider; empty for the whole provider.",
            ),
            Param("recursive", ParamType.BOOLEAN, default=True, description="Include sub-folders."),
            Param("include_udts", ParamType.BOOLEAN, default=True, description="Include UDTs."),
            artifact_name("name", "File name of the export artifact."),
        ),
        outputs=("status", "artifact", "tags"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.import_tags",
        family=FAMILY,
        title="Import tags",
        description="Import a tag export file into a tag provider.",
        params=(
            _FILE_IN,
            Param("provider", ParamType.STRING, default="default", description="Tag provider."),
            Param(
                "format",
                ParamType.STRING,
                default="json",
                enum=("json", "xml", "csv"),
                description="Format of the file.",
            ),
            Param(
                "collision_policy",
                ParamType.STRING,
                default="Abort",
                enum=("Abort", "Overwrite", "Rename", "Ignore", "MergeOverwrite"),
                description="What to do with tags that already exist.",
            ),
            Param("path", ParamType.STRING, default="", description="Target folder."),
        ),
        outputs=("status", "response"),
        requires=_REQ,
    ),
    StepType(
        id="gateway.api_request",
        family=FAMILY,
        title="Call any gateway API",
        description="Send one request to the gateway's REST API (8.3; token or web session) for "
        "what no step covers. A `path` without a leading `/` is relative to `/data/api/v1/`.",
        params=(
            Param(
                "method",
                ParamType.STRING,
                default="GET",
                enum=("GET", "POST", "PUT", "PATCH", "DELETE"),
                description="HTTP method.",
            ),
            Param("path", ParamType.STRING, required=True, description="API path."),
            Param("query", ParamType.DICT, description="Query-string parameters."),
            Param("json", ParamType.ANY, description="JSON body."),
            Param("body_file", ParamType.FILE, description="File sent as raw bytes."),
            Param(
                "headers",
                ParamType.DICT,
                description="Extra `Accept`/`Content-Type` headers (auth comes from the login).",
            ),
            Param(
                "expected_status",
                ParamType.LIST,
                items=ParamType.INTEGER,
                description="Status codes that count as success (default any 2xx).",
            ),
            artifact_name("save_as", "Store the response body as an artifact of this name."),
            timeout_s(30, "How long to wait for the answer."),
        ),
        outputs=("status_code", "headers", "json", "text", "artifact"),
        requires=_REQ,
        exclusive=(("json", "body_file"),),
        example={"method": "GET", "path": "gateway-info"},
    ),
)

STEP_TYPES = ORIGINALS + NEW
