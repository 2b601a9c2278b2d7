"""Module files (spec 5.1) and the 8.3 module lifecycle (spec 9.5)."""

import hashlib
import io
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from xml.etree import ElementTree as ET  # noqa: S405 - parses uploaded module.xml only

from .inventory import default_modules

IA = ("com.inductiveautomation", "Inductive Automation")
PENDING_TEXT = {
    "install": "will be installed",
    "upgrade": "will be upgraded",
    "uninstall": "will be uninstalled",
    "enable": "will be enabled",
    "disable": "will be disabled",
}


class ModuleError(Exception):
    """An invalid or refused module; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class ModuleFile:
    """What a ``.modl`` says about itself."""

    id: str
    name: str
    version: str
    description: str
    free: bool
    signed: bool
    certificate: bytes | None
    eula: bytes | None

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(self.certificate or b"", usedforsecurity=False).hexdigest()

    @property
    def eula_crc(self) -> int:
        return zlib.crc32(self.eula or b"")


def _text(module: ET.Element, tag: str) -> str:
    return (module.findtext(tag) or "").strip()


def parse_modl(data: bytes) -> ModuleFile:
    """Read ``module.xml`` (``<modules><module>…``) and the signing entries of a ``.modl``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        root = ET.fromstring(archive.read("module.xml"))  # noqa: S314 - simulator input
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        raise ModuleError(f"Invalid module file: {exc}") from exc
    module = root.find("module")
    if module is None or not all(_text(module, t) for t in ("id", "name", "version")):
        raise ModuleError("Invalid module file: module.xml needs module/id, name and version")
    license_name = _text(module, "license")
    return ModuleFile(
        id=_text(module, "id"),
        name=_text(module, "name"),
        version=_text(module, "version"),
        description=_text(module, "description"),
        free=_text(module, "freeModule").lower() == "true",
        signed="signatures.properties" in names,
        certificate=archive.read("certificates.p7b") if "certificates.p7b" in names else None,
        eula=(archive.read(license_name) if license_name in names else b"")
        if license_name
        else None,
    )


@dataclass
class InstalledModule:
    id: str
    name: str
    version: str
    description: str = ""
    vendorId: str = IA[0]  # noqa: N815 - gateway JSON field names
    vendorName: str = IA[1]  # noqa: N815
    selfSigned: bool = False  # noqa: N815
    collection: str = "healthy"
    state: str = "ACTIVE"
    onStartup: str = "enabled"  # noqa: N815
    shouldUpgrade: bool = False  # noqa: N815
    licenseState: str = "TRIAL"  # noqa: N815
    startupTime: int | None = None  # noqa: N815
    pending: dict = field(default_factory=dict)

    def as_item(self) -> dict:
        item = asdict(self)
        del item["pending"]
        return item

    @property
    def enabled(self) -> bool:
        return self.onStartup == "enabled"


@dataclass
class Upload:
    file: ModuleFile
    cert_accepted: bool
    eula_accepted: bool
    quarantine: bool = False

    def summary(self) -> dict:
        return {
            "moduleId": self.file.id,
            "containsCert": self.file.certificate is not None,
            "certAccepted": self.cert_accepted and not self.quarantine,
            "containsEula": self.file.eula is not None,
            "licenseAccepted": self.eula_accepted,
        }


class ModuleStore:
    """Installed modules, uploads waiting for acceptance/installation, accepted certs/EULAs."""

    def __init__(self, version: str, build: str, allow_unsigned: bool):
        self.allow_unsigned = allow_unsigned
        self.quarantine_unsigned = version.startswith("8.3") and not allow_unsigned
        self.installed: dict[str, InstalledModule] = {}
        self.quarantined: dict[str, InstalledModule] = {}
        self.uploads: dict[str, Upload] = {}
        self.accepted_certs: set[str] = set()
        self.accepted_eulas: set[tuple[str, int]] = set()
        for module_id, name, module_version in default_modules(version, build):
            self.installed[module_id] = InstalledModule(module_id, name, module_version)

    def upload(self, data: bytes) -> Upload:
        """Remember an upload. 8.3 takes unsigned modules and quarantines them at install;
        8.1 refuses them unless unsigned modules are allowed."""
        module = parse_modl(data)
        uncertified = not module.signed or module.certificate is None
        if not module.signed and not self.allow_unsigned and not self.quarantine_unsigned:
            raise ModuleError(
                f"Module {module.id} is not signed and unsigned modules are not allowed "
                "(start the gateway with -Dignition.allowunsignedmodules=true)."
            )
        upload = Upload(
            module,
            cert_accepted=module.certificate is None or module.thumbprint in self.accepted_certs,
            eula_accepted=module.eula is None
            or (module.id, module.eula_crc) in self.accepted_eulas,
            quarantine=uncertified and self.quarantine_unsigned,
        )
        self.uploads[module.id] = upload
        return upload

    def get_upload(self, module_id: str) -> Upload:
        if module_id not in self.uploads:
            raise ModuleError(f"No uploaded module with id {module_id!r}.", 404)
        return self.uploads[module_id]

    def certificate(self, module_id: str) -> dict:
        upload = self.get_upload(module_id)
        if upload.file.certificate is None:
            raise ModuleError(f"Module {module_id} has no certificate.", 404)
        thumbprint = upload.file.thumbprint
        return {
            "moduleId": module_id,
            "serialNumber": str(int(thumbprint[:16], 16)),
            "thumbprint": thumbprint,
            "subject": f"CN={upload.file.name} Vendor",
            "issuer": f"CN={upload.file.name} Vendor",
            "notBefore": "2025-01-01T00:00:00Z",
            "notAfter": "2035-01-01T00:00:00Z",
            "accepted": upload.cert_accepted,
        }

    def accept_certificate(self, module_id: str) -> None:
        upload = self.get_upload(module_id)
        if upload.file.certificate is None:
            raise ModuleError(f"Module {module_id} has no certificate.", 404)
        if upload.cert_accepted:
            raise ModuleError("Module Certificate already accepted.", 409)
        upload.cert_accepted = True
        self.accepted_certs.add(upload.file.thumbprint)

    def eula(self, module_id: str) -> dict:
        upload = self.get_upload(module_id)
        if upload.file.eula is None:
            raise ModuleError(f"Module {module_id} has no license.", 404)
        text = upload.file.eula.decode("utf-8", "replace")
        return {
            "moduleId": module_id,
            "hash": hashlib.sha256(upload.file.eula).hexdigest(),
            "crc": upload.file.eula_crc,
            "text": text,
            "accepted": upload.eula_accepted,
        }

    def accept_eula(self, module_id: str) -> None:
        upload = self.get_upload(module_id)
        if upload.file.eula is None:
            raise ModuleError(f"Module {module_id} has no license.", 404)
        if upload.eula_accepted:
            raise ModuleError("Module EULA already accepted.", 409)
        upload.eula_accepted = True
        self.accepted_eulas.add((module_id, upload.file.eula_crc))

    def install(self, module_id: str, *, restart_needed: bool = True, now_ms: int = 0) -> None:
        """Install an upload: INACTIVE until restart (8.3), or started at once (8.1 hot load).

        An unsigned or uncertified module on an 8.3 gateway that does not allow them is
        installed into quarantine: it stays out of ``healthy``, whatever the restarts.
        """
        upload = self.get_upload(module_id)
        if not upload.cert_accepted:
            raise ModuleError("The module certificate has not been accepted.")
        if not upload.eula_accepted:
            raise ModuleError("The module license has not been accepted.")
        module = upload.file
        del self.uploads[module_id]
        if upload.quarantine:
            self.quarantined[module_id] = _record(module, collection="quarantined")
            return
        existing = self.installed.get(module_id)
        if existing and restart_needed:
            existing.shouldUpgrade = True
            existing.pending = {"action": "upgrade", "file": module}
            return
        record = _record(module)
        if restart_needed:
            record.state = "INACTIVE"
            record.pending = {"action": "install"}
        else:
            record.startupTime = now_ms
        self.installed[module_id] = record

    def _get(self, module_id: str) -> InstalledModule:
        if module_id not in self.installed:
            raise ModuleError(f"Module {module_id!r} is not installed.", 404)
        return self.installed[module_id]

    def uninstall(self, module_id: str, *, restart_needed: bool = True) -> None:
        module = self._get(module_id)
        if restart_needed:
            module.pending = {"action": "uninstall"}
        else:
            del self.installed[module_id]

    def toggle(self, enable: list[str], disable: list[str]) -> None:
        for module_id in [*enable, *disable]:
            self._get(module_id)
        for module_id, on in [*((m, True) for m in enable), *((m, False) for m in disable)]:
            module = self.installed[module_id]
            module.onStartup = "enabled" if on else "disabled"
            module.pending = module.pending or {"action": "enable" if on else "disable"}

    def pending(self) -> list[str]:
        """What waits for a restart, as the gateway lists it: one string per change."""
        return [self._pending_entry(m) for m in self.installed.values() if m.pending]

    @staticmethod
    def _pending_entry(module: InstalledModule) -> str:
        action = module.pending.get("action", "install")
        return f"Module '{module.name}' ({module.id}) {PENDING_TEXT[action]}"

    def apply_restart(self, now_ms: int) -> None:
        """What a gateway restart does: start, upgrade, remove, enable or disable modules."""
        for module_id in list(self.installed):
            module = self.installed[module_id]
            if module.pending.get("action") == "uninstall":
                del self.installed[module_id]
                continue
            upgrade = module.pending.get("file")
            if upgrade is not None:
                module.version, module.name = upgrade.version, upgrade.name
                module.description = upgrade.description
            module.pending, module.shouldUpgrade = {}, False
            module.state = "ACTIVE" if module.enabled else "INACTIVE"
            module.startupTime = now_ms if module.enabled else None


def _record(module: ModuleFile, collection: str = "healthy") -> InstalledModule:
    """The list entry of an uploaded third-party module."""
    return InstalledModule(
        module.id,
        module.name,
        module.version,
        module.description,
        vendorId=module.id.rsplit(".", 1)[0],
        vendorName="Third party",
        selfSigned=not module.signed or module.certificate is None,
        licenseState="FREE" if module.free else "TRIAL",
        collection=collection,
    )
