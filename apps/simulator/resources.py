"""8.3 config resources (spec 1.3) for a few types, including the API tokens themselves."""

import copy
import hashlib
import hmac
import json
from dataclasses import dataclass

from .config import TokenSpec

API_TOKEN = "ignition/api-token"  # noqa: S105 - a resource type id
SECURITY = "ignition/security-properties"
DATABASE = "ignition/database-connection"
ADMIN_LEVEL = "Authenticated/Roles/Administrator"
TYPES = {API_TOKEN: False, SECURITY: True, DATABASE: False}


class ResourceError(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def leaf_paths(levels: list) -> list[str]:
    """Security levels as ``A/B/C`` leaf paths; accepts strings or ``{name, children}`` trees."""
    paths: list[str] = []
    for level in levels:
        if isinstance(level, str):
            paths.append(level)
            continue
        name, children = level.get("name", ""), level.get("children") or []
        below = leaf_paths(children)
        paths += [f"{name}/{p}" for p in below] if below else [name]
    return paths


def _signature(resource: dict, revision: int) -> str:
    """Changes with every write, as the gateway's own signatures do."""
    body = {k: v for k, v in resource.items() if k != "signature"}
    payload = json.dumps([revision, body], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


@dataclass
class TokenCheck:
    known: bool
    read: bool = False
    write: bool = False
    secure_required: bool = False


class ResourceStore:
    def __init__(self, tokens: list[TokenSpec]):
        self.types: dict[str, dict[str, dict]] = {name: {} for name in TYPES}
        self.overrides: dict[str, tuple[bool, bool]] = {}
        self.revision = 0
        permissions = {"type": "AnyOf", "securityLevels": [ADMIN_LEVEL]}
        security = {"readPermissions": permissions, "writePermissions": copy.deepcopy(permissions)}
        self._put(SECURITY, "security-properties", security)
        for token in tokens:
            self.add_token(token)

    def add_token(self, token: TokenSpec) -> None:
        profile = {
            "type": "basic-token",
            "secureChannelRequired": token.secure_required,
            "securityLevels": token.levels,
        }
        self._put(
            API_TOKEN,
            token.name,
            {"profile": profile, "settings": {"tokenHash": digest(token.secret)}},
        )
        self.overrides[token.name] = (token.read, token.write)

    def _put(self, type_id: str, name: str, config: dict, **extra) -> dict:
        resource = {
            "name": name,
            "collection": extra.get("collection", "core"),
            "enabled": extra.get("enabled", True),
            "description": extra.get("description", ""),
            "config": config,
            "backupConfig": extra.get("backupConfig"),
        }
        self.revision += 1
        resource["signature"] = _signature(resource, self.revision)
        self.types[type_id][name] = resource
        return resource

    def _type(self, type_id: str) -> dict[str, dict]:
        if type_id not in self.types:
            raise ResourceError(f"Resource type '{type_id}' not found.", 404)
        return self.types[type_id]

    def entries(self, type_id: str) -> list[dict]:
        return [copy.deepcopy(r) for r in self._type(type_id).values()]

    def find(self, type_id: str, name: str) -> dict:
        resources = self._type(type_id)
        if name not in resources:
            raise ResourceError(f"Resource '{name}' of type '{type_id}' not found.", 404)
        return copy.deepcopy(resources[name])

    def singleton(self, type_id: str) -> dict:
        if not TYPES.get(type_id):
            raise ResourceError(f"'{type_id}' is not a singleton resource type.", 404)
        return self.entries(type_id)[0]

    def describe(self, type_id: str) -> dict:
        self._type(type_id)
        return {"id": type_id, "singleton": TYPES[type_id], "properties": ["config"]}

    def create(self, type_id: str, items: list[dict]) -> list[dict]:
        resources = self._type(type_id)
        for item in items:
            if not item.get("name") or "config" not in item:
                raise ResourceError("Each resource needs a name and a config.", 422)
            if item["name"] in resources:
                raise ResourceError(f"Resource '{item['name']}' already exists.", 409)
        return [self._changed(type_id, item) for item in items]

    def modify(self, type_id: str, items: list[dict]) -> list[dict]:
        """Change resources; an item without ``config`` keeps the stored one (a partial PUT).
        A stale signature fails with 500, as the gateway answers it."""
        resources = self._type(type_id)
        for item in items:
            name = item.get("name") or next(iter(resources), "")
            if not item.get("signature"):
                raise ResourceError("A signature is required to modify a resource.", 400)
            if name not in resources:
                raise ResourceError(f"Resource '{name}' of type '{type_id}' not found.", 404)
            if resources[name]["signature"] != item["signature"]:
                raise ResourceError(f"Resource signature mismatch for '{name}'.", 500)
            stored = resources[name]
            item["name"] = name
            for key in ("config", "collection", "enabled", "description", "backupConfig"):
                item.setdefault(key, stored.get(key))
        return [self._changed(type_id, item) for item in items]

    def delete(self, type_id: str, name: str, signature: str) -> list[dict]:
        resource = self.find(type_id, name)
        if resource["signature"] != signature:
            raise ResourceError(f"Resource '{name}' was changed by someone else.", 409)
        del self.types[type_id][name]
        if type_id == API_TOKEN:
            self.overrides.pop(name, None)
        return [{"name": name, "type": type_id}]

    def _changed(self, type_id: str, item: dict) -> dict:
        extra = {
            k: item[k]
            for k in ("collection", "enabled", "description", "backupConfig")
            if k in item
        }
        resource = self._put(type_id, item["name"], item["config"], **extra)
        return {"name": resource["name"], "type": type_id, "signature": resource["signature"]}

    def replace_all(self, types: dict[str, dict[str, dict]]) -> None:
        for type_id, resources in types.items():
            if type_id in self.types:
                self.types[type_id] = resources

    def wipe_tokens(self) -> None:
        self.types[API_TOKEN] = {}
        self.overrides.clear()

    def check_token(self, name: str, secret: str) -> TokenCheck:
        """Validate ``name:secret`` and work out its read/write permissions."""
        resource = self.types[API_TOKEN].get(name)
        if resource is None or not resource["enabled"]:
            return TokenCheck(known=False)
        config = resource["config"]
        stored = config.get("settings", {}).get("tokenHash", "")
        if not hmac.compare_digest(stored, digest(secret)):
            return TokenCheck(known=False)
        profile = config.get("profile", {})
        levels = set(leaf_paths(profile.get("securityLevels", [])))
        security = self.types[SECURITY]["security-properties"]["config"]
        allowed = [
            bool(levels & set(leaf_paths(security[key].get("securityLevels", []))))
            for key in ("readPermissions", "writePermissions")
        ]
        read, write = self.overrides.get(name, tuple(allowed))
        return TokenCheck(True, read, write, bool(profile.get("secureChannelRequired")))
