import asyncio
import itertools
import re
import shutil
from functools import cache
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.playbooks.loader import load_playbook
from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.selectors import playbook_normalise_path
from apps.playbooks.services import (
    playbook_library_sync,
    playbook_update,
    shipped_library_root,
)
from apps.playbooks.templating import Reference, split
from apps.simulator.api import ROUTES as SIMULATOR_API_ROUTES
from apps.steps.registry import get_step_type
from apps.steps.schema import ParamType
from tests.accounts.factories import TeamFactory
from tests.playbooks.factories import PlaybookFactory, playbook_yaml
from tests.simulator.helpers import TOKEN, build_modl, client_for, make

pytestmark = pytest.mark.django_db

MODULE_PLAYBOOKS = [
    "module_install_81.yaml",
    "module_install_83.yaml",
    "module_manage.yaml",
    "module_upgrade_81.yaml",
    "module_upgrade_83.yaml",
]
CHILD_CALLER = """name: Caller
version: "1.0"
steps:
  - id: call
    name: Call the child
    type: playbook.run
    parameters:
      playbook: gateway/child.yaml
"""


@pytest.fixture
def library(tmp_path):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "child.yaml").write_text(playbook_yaml("Child"))
    (tmp_path / "gateway" / "caller.yaml").write_text(CHILD_CALLER)
    (tmp_path / "gateway" / "child.backup.2024.yaml").write_text("ignored: [")
    (tmp_path / "README.yaml").write_text("not: in a domain folder")
    return tmp_path


def test_sync_creates_builtins_in_every_team(library, team, other_team):
    report = playbook_library_sync(root=library)

    assert report.created == [
        "Line 1: gateway/caller.yaml",
        "Line 1: gateway/child.yaml",
        "Line 2: gateway/caller.yaml",
        "Line 2: gateway/child.yaml",
    ]
    assert (report.updated, report.skipped, report.invalid) == ([], [], {})
    playbook = Playbook.objects.get(team=team, path="gateway/child.yaml")
    assert (playbook.origin, playbook.name, playbook.verified) == ("builtin", "Child", True)
    assert (playbook.current_version.author, playbook.current_version.change_note) == (
        None,
        "Library sync",
    )


def test_sync_is_idempotent(library, team):
    playbook_library_sync(root=library)

    report = playbook_library_sync(root=library)

    assert report.unchanged == ["Line 1: gateway/caller.yaml", "Line 1: gateway/child.yaml"]
    assert report.created == report.updated == []
    assert Playbook.objects.count() == 2


def test_a_changed_file_becomes_a_new_version(library, team):
    playbook_library_sync(root=library)
    (library / "gateway" / "child.yaml").write_text(playbook_yaml("Child", message="Changed"))

    report = playbook_library_sync(root=library)

    assert report.updated == ["Line 1: gateway/child.yaml"]
    playbook = Playbook.objects.get(path="gateway/child.yaml")
    assert (playbook.current_version.revision, playbook.current_version.change_note) == (
        2,
        "Library update",
    )


def test_module_file_names_the_files_library_and_the_update_keeps_builtins_verified(tmp_path, team):
    shutil.copytree(shipped_library_root(), tmp_path, dirs_exist_ok=True)
    shipped = {name: (tmp_path / "gateway" / name).read_text() for name in MODULE_PLAYBOOKS}
    for name, text in shipped.items():
        earlier = re.sub(r"a file of the team's\s+Files\s+library", "a file", text)
        (tmp_path / "gateway" / name).write_text(earlier)
    playbook_library_sync(root=tmp_path)
    for name, text in shipped.items():
        (tmp_path / "gateway" / name).write_text(text)

    report = playbook_library_sync(root=tmp_path)

    assert report.invalid == {}
    assert report.updated == [f"Line 1: gateway/{name}" for name in MODULE_PLAYBOOKS]
    for name in MODULE_PLAYBOOKS:
        playbook = Playbook.objects.get(path=f"gateway/{name}")
        [described] = [
            " ".join(p["description"].split())
            for p in playbook.current_version.parameters
            if p["name"] == "module_file"
        ]
        assert "a file of the team's Files library (picked in the Run dialog," in described
        assert '{"file": <id or name>} in the API, @PATH on the command line' in described
        assert "WORKER_INPUT_DIRS" in described
        assert playbook.verified, name


def test_user_edits_are_never_overwritten(library, team, editor):
    playbook_library_sync(root=library)
    child = Playbook.objects.get(path="gateway/child.yaml")
    playbook_update(child, actor=editor, yaml_text=playbook_yaml("Child", message="Mine"))
    (library / "gateway" / "child.yaml").write_text(playbook_yaml("Child", message="Library"))

    report = playbook_library_sync(root=library)

    assert report.skipped == ["Line 1: gateway/child.yaml (edited by a user; not overwritten)"]
    child.refresh_from_db()
    assert "Mine" in child.current_version.yaml_text


def test_a_user_playbook_at_the_path_is_left_alone(library, team):
    PlaybookFactory(team=team, path="gateway/child.yaml", origin=PlaybookOrigin.USER)

    report = playbook_library_sync(root=library, teams=[team])

    assert report.skipped == ["Line 1: gateway/child.yaml (a user playbook has this path)"]


def test_verified_in_the_yaml_seeds_the_flag_once(tmp_path, team):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "base.yaml").write_text("verified: true\n" + playbook_yaml("Base"))

    playbook_library_sync(root=tmp_path)

    playbook = Playbook.objects.get()
    assert (playbook.verified, playbook.verified_by) == (True, None)


def test_invalid_files_are_reported_and_not_loaded(tmp_path, team):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "broken.yaml").write_text("name: Broken\n")

    report = playbook_library_sync(root=tmp_path)

    assert list(report.invalid) == ["gateway/broken.yaml"]
    assert report.invalid["gateway/broken.yaml"][0]["file"] == "playbooks/gateway/broken.yaml"
    assert Playbook.objects.count() == 0


def test_command_prints_a_summary(library, team, capsys):
    call_command("sync_playbooks", "--path", str(library))
    call_command("sync_playbooks", "--path", str(library), "--team", "Line 1")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "created: Line 1: gateway/caller.yaml",
        "created: Line 1: gateway/child.yaml",
        "Playbook library: 2 created, 0 updated, 0 unchanged, 0 skipped, 0 invalid.",
        "Playbook library: 0 created, 0 updated, 2 unchanged, 0 skipped, 0 invalid.",
    ]


def test_command_fails_for_invalid_files(tmp_path, team, capsys):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "broken.yaml").write_text("name: Broken\n")

    with pytest.raises(CommandError, match="1 library file\\(s\\) are not valid playbooks."):
        call_command("sync_playbooks", "--path", str(tmp_path))

    assert capsys.readouterr().err.startswith("invalid: playbooks/gateway/broken.yaml:")


def test_command_rejects_unknown_teams_and_folders(library, tmp_path):
    TeamFactory(name="Known")

    with pytest.raises(CommandError, match="No team named Ghost."):
        call_command("sync_playbooks", "--path", str(library), "--team", "Ghost")
    with pytest.raises(CommandError, match="does not exist."):
        call_command("sync_playbooks", "--path", str(tmp_path / "nowhere"))
    assert Playbook.objects.count() == 0


# The shipped library (playbooks/<domain>/*.yaml) -----------------------------------------------
#
# What these tests cover:
# * every file under playbooks/ loads in strict mode with no error and no warning, has the
#   conventions of the library (name, quoted version, description naming its profiles, domain
#   equal to its folder, group, described parameters, a gateway_url default) and is listed in
#   docs/library.md;
# * every playbook.run child exists, including templated paths (expanded over the values
#   listed in metadata.parameter_choices), nesting stays within 3 levels and has no cycle;
# * gateway.api_request paths exist in the simulator's 8.3 route table, and gateway.* steps
#   appear only in playbooks that target 8.3;
# * a static check of every browser selector against the simulator: the pages a playbook
#   opens (its browser.navigate URLs, parameters at their defaults) and the pages it reaches by
#   clicking (FOLLOWED_PAGES) are fetched from an in-process simulator of each profile the
#   playbook declares in metadata.profiles, signed out and signed in, plus a second gateway
#   with an expired trial and a module waiting for a restart. For each selector, one of its
#   comma-separated alternatives must have every id, class, tag, attribute (with its value and
#   operator) and text (text=, :has-text, :text-is) present in that HTML. Structure
#   (descendants, visibility, order) and elements built by scripts at run time are not
#   checked; references without a default (e.g. {{ module_id }}) are left out of the check;
# * sync_playbooks turns every file into a built-in playbook of every team.

LIBRARY = Path(settings.BASE_DIR) / "playbooks"
LIBRARY_DOC = Path(settings.BASE_DIR) / "docs" / "library.md"
LIBRARY_FILES = sorted(p.relative_to(LIBRARY).as_posix() for p in LIBRARY.rglob("*") if p.is_file())
PROFILES = ("8.3", "8.1")
UNSET = "\x00"
MAX_NESTING = 3

# Pages reached by clicking rather than by browser.navigate, per playbook and profile.
FOLLOWED_PAGES = {
    "gateway/gateway_login.yaml": {"8.3": ["idp-login"], "8.1": ["/web/login", "web-password"]},
    "gateway/gateway_restart_web.yaml": {"8.3": ["/app/home"]},
    "gateway/module_install_81.yaml": {
        "8.1": ["/web/config/system.modules/install", "web-module-accept"]
    },
    "gateway/module_uninstall_81.yaml": {"8.1": ["web-module-uninstall"]},
    "perspective/test_docks.yaml": {
        "8.3": ["/data/perspective/client/SimDemo/controls"],
        "8.1": ["/data/perspective/client/SimDemo/controls"],
    },
    "perspective/test_verification_examples.yaml": {
        "8.3": ["/data/perspective/client/SimDemo/controls"],
        "8.1": ["/data/perspective/client/SimDemo/controls"],
    },
}


@cache
def shipped(path: str):
    """The loaded library playbook at ``path`` (strict mode, children checked)."""
    return load_playbook(
        (LIBRARY / path).read_text(encoding="utf-8"),
        source=f"playbooks/{path}",
        child_exists=lambda child: playbook_normalise_path(child) in LIBRARY_FILES,
    )


def defaults(playbook) -> dict:
    return {p["name"]: p["default"] for p in playbook.parameters if p.get("default") is not None}


def resolve(value: str, playbook, values: dict | None = None) -> str:
    """``value`` with parameter references replaced (gateway_url by ''), others by UNSET."""
    known = {**defaults(playbook), **(values or {}), "gateway_url": ""}
    out = []
    for part in split(value):
        if not isinstance(part, Reference):
            out.append(part)
        elif part.kind == "parameter" and not part.path and isinstance(known.get(part.name), str):
            out.append(known[part.name])
        else:
            out.append(UNSET)
    return "".join(out)


def child_paths(playbook) -> list[str]:
    """Every child a playbook.run step can run (templated paths over parameter_choices)."""
    choices = playbook.metadata.get("parameter_choices", {})
    paths = []
    for step in playbook.steps:
        if step["type"] != "playbook.run":
            continue
        template = step["parameters"]["playbook"]
        names = sorted({p.name for p in split(template) if isinstance(p, Reference)})
        missing = [name for name in names if name not in choices]
        assert not missing, f"{step['id']}: list the values of {missing} in parameter_choices"
        for combination in itertools.product(*(choices[name] for name in names)):
            paths.append(resolve(template, playbook, dict(zip(names, combination, strict=True))))
    return paths


def nesting_depth(path: str, stack: tuple[str, ...] = ()) -> int:
    assert path not in stack, f"cycle: {' -> '.join((*stack, path))}"
    children = child_paths(shipped(path))
    return max((1 + nesting_depth(child, (*stack, path)) for child in children), default=0)


def test_the_library_has_the_shipped_playbooks():
    expected = {
        "gateway/gateway_login.yaml",
        "gateway/gateway_restart.yaml",
        "gateway/module_manage.yaml",
        "gateway/backup_gateway.yaml",
        "gateway/reset_trial.yaml",
        "gateway/api_key_setup.yaml",
        "perspective/test_discovery.yaml",
        "perspective/test_buttons.yaml",
        "perspective/test_inputs.yaml",
        "perspective/test_docks.yaml",
        "perspective/test_visual_consistency.yaml",
        "perspective/test_verification_examples.yaml",
        "perspective/test_suite_master.yaml",
    }
    assert expected <= set(LIBRARY_FILES)
    for path in LIBRARY_FILES:
        domain, _, name = path.partition("/")
        assert domain in ("gateway", "perspective", "designer"), path
        assert "/" not in name, path
        assert name.endswith(".yaml"), path
        assert ".backup." not in name, path
    assert [p for p in LIBRARY_FILES if p.startswith("designer/")]


@pytest.mark.parametrize("path", LIBRARY_FILES)
def test_shipped_playbook_is_valid_and_documented(path):
    playbook = shipped(path)

    assert playbook.warnings == []
    assert playbook.domain == path.split("/")[0]
    assert playbook.name
    assert playbook.group
    assert re.fullmatch(r"\d+\.\d+", playbook.version)
    profiles = playbook.metadata.get("profiles")
    assert profiles, "declare metadata.profiles"
    assert set(profiles) <= set(PROFILES)
    assert all(profile in playbook.description for profile in profiles), "name the profiles"
    for parameter in playbook.parameters:
        assert parameter["description"], f"parameter {parameter['name']} needs a description"
        if parameter["name"] == "gateway_url":
            assert parameter["default"] == "http://127.0.0.1:8088"
        if parameter["type"] == "credential":
            assert parameter["default"] is None, "never ship a credential default"
    names = [step["name"] for step in playbook.steps]
    assert len(set(names)) == len(names), "step names must tell the steps apart"
    assert f"`{path}`" in LIBRARY_DOC.read_text(encoding="utf-8"), "add it to docs/library.md"


@pytest.mark.parametrize("path", LIBRARY_FILES)
def test_children_exist_and_nesting_stays_within_the_limit(path):
    for child in child_paths(shipped(path)):
        assert child in LIBRARY_FILES, f"{path} runs {child}, which is not in the library"
    assert nesting_depth(path) <= MAX_NESTING


def test_module_presets_name_declared_parameters():
    playbook = shipped("gateway/module_manage.yaml")
    declared = {p["name"]: p["type"] for p in playbook.parameters}
    choices = playbook.metadata["parameter_choices"]
    assert set(choices["action"]) == {"install", "upgrade", "uninstall"}
    for preset in playbook.metadata["presets"]:
        assert set(preset["values"]) <= set(declared), preset["name"]
        for name, value in preset["values"].items():
            assert isinstance(value, str), name
            assert declared[name] in ("string", "file"), name
            assert value in choices.get(name, [value]), f"{preset['name']}: {name}={value}"


@pytest.mark.parametrize("path", LIBRARY_FILES)
def test_gateway_steps_use_the_8_3_api(path):
    playbook = shipped(path)
    routes = {(route.method, route.path) for route in SIMULATOR_API_ROUTES}
    for step in playbook.steps:
        if not step["type"].startswith("gateway."):
            continue
        assert playbook.metadata["profiles"] == ["8.3"], f"{step['id']}: 8.1 has no REST API"
        if step["type"] == "gateway.api_request":
            method = step["parameters"].get("method", "GET")
            assert (method, "/" + step["parameters"]["path"]) in routes, step["id"]


# Static selector check --------------------------------------------------------------------------


class SimulatorClient:
    """A synchronous face of the simulator tests' in-process client; follows redirects."""

    def __init__(self, app):
        self.loop = asyncio.new_event_loop()
        self.client = client_for(app)

    def request(self, method: str, url: str, *, follow_redirects: bool = True, **kwargs):
        call = self.client.request(method, url, follow_redirects=follow_redirects, **kwargs)
        return self.loop.run_until_complete(call)

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


def _sign_in(client: SimulatorClient, profile: str) -> None:
    if profile == "8.1":
        client.post("/web/login", data={"username": "admin", "password": "password"})
        return
    login = client.get("/data/app/login", follow_redirects=False)
    auth = client.get(login.headers["location"], follow_redirects=False)
    token = auth.headers["location"].split("token=")[1]
    step = client.post("/idp/default/authn/next-challenge", json={"token": token}).json()
    body = {"token": step["token"], "challenge": {"username": "admin", "password": "password"}}
    done = client.post("/idp/default/authn/submit-challenge/basic", json=body).json()
    last = client.post("/idp/default/authn/next-challenge", json={"token": done["token"]}).json()
    query = login.headers["location"].split("?", 1)[1]
    client.get(f"/idp/default/oidc/auth?{query}&token={last['token']}")
    assert client.get("/data/app/session").status_code == 200


class SimulatedPages:
    """HTML of simulator pages of one profile in the states the playbooks meet."""

    def __init__(self, profile: str):
        version = "8.3.6" if profile == "8.3" else "8.1.48"
        self.profile = profile
        self.signed_out = SimulatorClient(make(version=version)[0])
        self.signed_in = SimulatorClient(make(version=version)[0])
        _sign_in(self.signed_in, profile)
        # What the playbooks change: an expired trial, a module waiting for a restart, a key.
        self.changed = SimulatorClient(make(version=version)[0])
        _sign_in(self.changed, profile)
        self.changed.post("/__sim/trial/expire")
        if profile == "8.3":
            self._install_pending_module(self.changed)
            self._create_api_key(self.changed, "toolkit-api-key")
        self.cache: dict[str, str] = {}

    @staticmethod
    def _create_api_key(client: SimulatorClient, name: str) -> None:
        csrf = {"X-CSRF-Token": client.get("/data/app/session").json()["csrfToken"]}
        generated = client.post("/data/api/v1/api-token/generate", headers=csrf).json()
        profile = {"type": "basic-token", "secureChannelRequired": True, "securityLevels": []}
        config = {"profile": profile, "settings": {"tokenHash": generated["hash"]}}
        resource = [{"name": name, "collection": "core", "enabled": True, "config": config}]
        url = "/data/api/v1/resources/ignition/api-token"
        assert client.post(url, json=resource, headers=csrf).is_success

    @staticmethod
    def _install_pending_module(client: SimulatorClient) -> None:
        api = "/data/api/v1/modules"
        modl = build_modl()
        upload = client.post(f"{api}/upload?fileName=demo.modl", content=modl, headers=TOKEN)
        module_id = upload.json()["moduleId"]
        for call in ("certificate", "eula", "install"):
            assert client.post(f"{api}/{call}?moduleId={module_id}", headers=TOKEN).is_success

    def html(self, page: str) -> str:
        if page not in self.cache:
            self.cache[page] = self._fetch(page)
        return self.cache[page]

    def _fetch(self, page: str) -> str:
        special = getattr(self, "_" + page.replace("-", "_"), None)
        if special is not None:
            return special()
        signed_in = self.signed_in.get(page)
        assert signed_in.status_code == 200, f"{self.profile} {page}: {signed_in.status_code}"
        return signed_in.text + self.signed_out.get(page).text + self.changed.get(page).text

    def _idp_login(self) -> str:
        return self.signed_out.get("/data/app/login").text

    def _web_password(self) -> str:
        return self.signed_out.post("/web/login", data={"username": "admin"}).text

    def _web_module_accept(self) -> str:
        files = {"file": ("demo.modl", build_modl(), "application/octet-stream")}
        certificate = self.signed_in.post("/web/config/system.modules/install", files=files)
        licence = self.signed_in.post(str(certificate.url), data={"accept": "true"})
        return certificate.text + licence.text

    def _web_module_uninstall(self) -> str:
        modules = "/web/config/system.modules"
        module_id = re.search(r'data-module-id="([^"]+)"', self.html(modules))[1]
        return self.signed_in.get(f"{modules}/uninstall?moduleId={module_id}").text


@pytest.fixture(scope="module")
def simulated_pages():
    pages = {profile: SimulatedPages(profile) for profile in PROFILES}
    yield pages
    for profile in pages.values():
        for client in (profile.signed_out, profile.signed_in, profile.changed):
            client.close()


def selector_alternatives(selector: str) -> list[str]:
    """Split at top-level commas (not inside quotes, brackets or parentheses)."""
    parts, depth, quote, current = [], 0, None, ""
    for char in selector:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return [part.strip() for part in [*parts, current] if part.strip()]


def _balanced(text: str, start: int) -> int:
    """Index just after the parenthesis closing the one opened at ``start``."""
    depth = 0
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    raise AssertionError(f"unbalanced parentheses in {text!r}")


ATTRIBUTE = re.compile(
    r"\[\s*([\w-]+)\s*(?:([$^*]?=)\s*(?:\"([^\"]*)\"|'([^']*)'|([^\]\s]*)))?\s*\]"
)
TEXT_PSEUDO = re.compile(r":(?:has-text|text-is)\(\s*(['\"])(.*?)\1\s*\)")


def selector_tokens(selector: str) -> list[tuple]:
    """The ids, classes, tags, attributes and texts one selector alternative names."""
    if selector.startswith("text="):
        return [("text", selector[5:].strip().strip("'\""))]
    tokens = []
    while (start := selector.find(":has(")) >= 0:
        end = _balanced(selector, start + 4)
        tokens += selector_tokens(selector[start + 5 : end - 1])
        selector = selector[:start] + " " + selector[end:]
    for match in TEXT_PSEUDO.finditer(selector):
        tokens.append(("text", match[2]))
    selector = TEXT_PSEUDO.sub(" ", selector)
    for match in ATTRIBUTE.finditer(selector):
        value = next((v for v in match.groups()[2:] if v is not None), None)
        tokens.append(("attribute", match[1], match[2], value))
    selector = ATTRIBUTE.sub(" ", selector)
    tokens += [("id", value) for value in re.findall(r"#([\w-]+)", selector)]
    tokens += [("class", value) for value in re.findall(r"\.([\w-]+)", selector)]
    tokens += [("tag", value) for value in re.findall(r"(?:^|[\s>+~])([a-z][a-z0-9-]*)", selector)]
    return [token for token in tokens if UNSET not in token[1]]


def token_found(token: tuple, html: str) -> bool:
    kind, value = token[0], re.escape(token[1])
    if kind == "text":
        return bool(token[1]) and (token[1] in html or escape(token[1]) in html)
    if kind == "id":
        return re.search(rf"\bid=[\"']{value}[\"']", html) is not None
    if kind == "class":
        return re.search(rf"class=[\"'][^\"']*(?<![\w-]){value}(?![\w-])", html) is not None
    if kind == "tag":
        return re.search(rf"<{value}[\s>]", html) is not None
    operator, expected = token[2], token[3]
    if operator is None or expected is None or UNSET in expected:
        return re.search(rf"\s{value}(?:=|[\s>])", html) is not None
    body = {
        "=": re.escape(expected),
        "$=": rf"[^\"']*{re.escape(expected)}",
        "^=": rf"{re.escape(expected)}[^\"']*",
        "*=": rf"[^\"']*{re.escape(expected)}[^\"']*",
    }[operator]
    return re.search(rf"\s{value}=[\"']?{body}[\"'\s>]", html) is not None


def browser_selectors(playbook) -> list[tuple[str, str]]:
    """(step id, selector) for every selector a browser or Perspective step uses."""
    found = []
    for step in playbook.steps:
        step_type = get_step_type(step["type"])
        if "browser" not in step_type.requires:
            continue
        for name, value in step["parameters"].items():
            param = step_type.get_param(name)
            if param is not None and param.type == ParamType.SELECTOR and isinstance(value, str):
                found.append((step["id"], value))
            elif name == "exclude_selectors" and isinstance(value, list):
                found += [(step["id"], item) for item in value]
            elif name == "manifest":
                entries = value if isinstance(value, list) else None
                if entries is None:
                    reference = split(value)[0]
                    entries = defaults(playbook).get(reference.name, [])
                found += [(step["id"], entry["selector"]) for entry in entries]
    return found


def visited_pages(path: str, playbook, profile: str) -> list[str]:
    pages = list(FOLLOWED_PAGES.get(path, {}).get(profile, []))
    for step in playbook.steps:
        if step["type"] == "browser.navigate":
            url = resolve(step["parameters"]["url"], playbook)
            assert UNSET not in url, f"{step['id']}: give the URL's parameters defaults"
            pages.append(url.rstrip("/") or "/")
    return pages


BROWSER_PLAYBOOKS = [p for p in LIBRARY_FILES if browser_selectors(shipped(p))]


@pytest.mark.parametrize("path", BROWSER_PLAYBOOKS)
def test_browser_selectors_match_the_simulator_pages(path, simulated_pages):
    playbook = shipped(path)
    selectors = browser_selectors(playbook)
    assert len(selectors) >= 2
    for profile in playbook.metadata["profiles"]:
        pages = visited_pages(path, playbook, profile)
        html = "".join(simulated_pages[profile].html(page) for page in pages)
        for step_id, selector in selectors:
            alternatives = selector_alternatives(resolve(selector, playbook))
            token_lists = [selector_tokens(alternative) for alternative in alternatives]
            assert any(token_lists), f"{step_id}: nothing to check in {selector!r}"
            missing = [[t for t in tokens if not token_found(t, html)] for tokens in token_lists]
            matched = zip(token_lists, missing, strict=True)
            assert any(tokens and not gone for tokens, gone in matched), (
                f"{path} step {step_id}, profile {profile}: {selector!r} does not match "
                f"{pages}; missing {missing}"
            )


def test_the_selector_check_catches_wrong_selectors(simulated_pages):
    html = simulated_pages["8.3"].html("idp-login")
    assert all(token_found(t, html) for t in selector_tokens("input[name=username]"))
    assert all(token_found(t, html) for t in selector_tokens("button:has-text('CONTINUE')"))
    for wrong in ("input[name=user]", "#continue", ".submit-btn", "text=Log in", "select"):
        assert not all(token_found(t, html) for t in selector_tokens(wrong)), wrong
    assert selector_alternatives("a[x='1,2'], b:has(c, d)") == ["a[x='1,2']", "b:has(c, d)"]


def test_sync_playbooks_loads_every_shipped_file_as_a_builtin(team, capsys):
    call_command("sync_playbooks")

    out = capsys.readouterr().out
    assert f"Playbook library: {len(LIBRARY_FILES)} created, 0 updated" in out
    assert "0 invalid" in out
    builtins = Playbook.objects.filter(team=team, origin=PlaybookOrigin.BUILTIN)
    assert sorted(builtins.values_list("path", flat=True)) == LIBRARY_FILES
    for playbook in builtins.select_related("current_version"):
        assert playbook.name == shipped(playbook.path).name
        assert playbook.domain == playbook.path.split("/")[0]
        assert playbook.current_version.yaml_text == (LIBRARY / playbook.path).read_text()
