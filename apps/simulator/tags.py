"""Tag providers holding JSON tag trees (spec 5.4); export and import with collision policies."""

import copy
from xml.sax.saxutils import quoteattr

POLICIES = ("Abort", "Overwrite", "Rename", "Ignore", "MergeOverwrite")
DEFAULT_TREE = {
    "path": "",
    "tags": [
        {"name": "Status", "tagType": "AtomicTag", "dataType": "Boolean", "value": True},
        {
            "name": "Line1",
            "tagType": "Folder",
            "tags": [
                {"name": "Speed", "tagType": "AtomicTag", "dataType": "Float8", "value": 12.5},
                {"name": "Count", "tagType": "AtomicTag", "dataType": "Int4", "value": 42},
            ],
        },
    ],
}


class TagError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class TagStore:
    def __init__(self, seeds: dict):
        self.providers: dict[str, dict] = {"default": copy.deepcopy(DEFAULT_TREE)}
        for provider, tree in seeds.items():
            self.providers[provider] = copy.deepcopy(tree)

    def _provider(self, provider: str) -> dict:
        if provider not in self.providers:
            raise TagError(f"Tag provider '{provider}' not found.", 404)
        return self.providers[provider]

    def _folder(self, provider: str, path: str) -> dict:
        node = self._provider(provider)
        for part in [p for p in path.strip("/").split("/") if p]:
            children = {t["name"]: t for t in node.get("tags", [])}
            if part not in children:
                raise TagError(f"Tag path '{path}' not found in provider '{provider}'.", 404)
            node = children[part]
        return node

    def export(self, provider: str, path: str = "", recursive: bool = True) -> dict:
        """The provider as ``{path, tags}``; a path export is the named node itself."""
        node = copy.deepcopy(self._folder(provider, path))
        if not recursive:
            children = node.get("tags", [])
            node["tags"] = [{k: v for k, v in t.items() if k != "tags"} for t in children]
        if path.strip("/"):
            return node
        return {"path": path, "tags": node.get("tags", [])}

    def import_tags(self, provider: str, tree: dict, policy: str, path: str = "") -> dict:
        """``{successCount, failureCount, failures}``; a collision under Abort imports nothing
        and is reported in ``failures`` with a 200, as the gateway does."""
        if policy not in POLICIES:
            raise TagError(f"collisionPolicy must be one of {', '.join(POLICIES)}")
        if not isinstance(tree, dict) or not isinstance(tree.get("tags"), list):
            raise TagError("The import file must be a JSON object with a 'tags' list.")
        self.providers.setdefault(provider, {"path": "", "tags": []})
        folder = self._folder(provider, path)
        existing = {t["name"]: t for t in folder.setdefault("tags", [])}
        clashes = [t["name"] for t in tree["tags"] if t.get("name") in existing]
        if clashes and policy == "Abort":
            failures = [_failure(provider, path, name) for name in clashes]
            return {"successCount": 0, "failureCount": len(failures), "failures": failures}
        counts = {"imported": 0, "skipped": 0}
        for tag in tree["tags"]:
            self._place(folder, existing, copy.deepcopy(tag), policy, counts)
        return {"successCount": counts["imported"], "failureCount": 0, "failures": []}

    @staticmethod
    def _place(folder: dict, existing: dict, tag: dict, policy: str, counts: dict) -> None:
        name = tag.get("name")
        if name in existing and policy == "Ignore":
            counts["skipped"] += 1
            return
        if name in existing and policy == "Rename":
            suffix = 1
            while f"{name}_{suffix}" in existing:
                suffix += 1
            tag["name"] = f"{name}_{suffix}"
        elif name in existing and policy == "MergeOverwrite":
            existing[name].update(tag)
            counts["imported"] += 1
            return
        elif name in existing:
            folder["tags"].remove(existing[name])
        folder["tags"].append(tag)
        existing[tag["name"]] = tag
        counts["imported"] += 1


def _failure(provider: str, path: str, name: str) -> dict:
    full = "/".join(p for p in (path.strip("/"), name) if p)
    return {"path": f"[{provider}]{full}", "message": f"A tag named '{name}' already exists."}


def to_xml(tree: dict) -> str:
    def render(tags: list[dict], indent: str) -> list[str]:
        lines = []
        for tag in tags:
            attrs = (
                f"name={quoteattr(str(tag.get('name')))} type={quoteattr(str(tag.get('tagType')))}"
            )
            children = tag.get("tags")
            if children:
                lines += [
                    f"{indent}<Tag {attrs}>",
                    *render(children, indent + "  "),
                    f"{indent}</Tag>",
                ]
            else:
                lines.append(f"{indent}<Tag {attrs}/>")
        return lines

    body = "\n".join(render(tree.get("tags", []), "  "))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Tags>\n{body}\n</Tags>\n'
