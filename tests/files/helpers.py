"""Library files for the tests: real module archives, uploaded through the service."""

import functools
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.files.services import file_upload
from tests.simulator.helpers import build_modl

# A playbook whose file parameter a step receives (its value is logged).
PARAMETERS = """
    - name: module_file
      type: file
"""
STEP = """
    - id: show
      name: Show the file's name
      type: utility.log
      parameters: {message: "{{ parameter.module_file }}"}
"""


@functools.cache
def modl(version: str = "1.0.0") -> bytes:
    """A module archive, the same bytes for the whole session (archives carry their time)."""
    return build_modl("com.example.demo", version=version, eula=None)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def uploaded(team, actor, name: str = "demo.modl", data: bytes | None = None, **kwargs):
    """The version stored by uploading ``data`` (a module) as ``name``."""
    content = modl() if data is None else data
    return file_upload(
        team=team, actor=actor, upload=SimpleUploadedFile(name, content), name=name, **kwargs
    )
