"""Reading a set: zips, folders and loose files, their paths and their limits."""

import io
import zipfile

import pytest

from apps.core.errors import ApplicationError
from apps.playbooks.services.sets import (
    files_from_paths,
    files_from_uploads,
    set_name_of,
)


def _zip(members: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return archive.getvalue()


def test_folders_keep_their_domain_folders_and_skip_backups(tmp_path):
    (tmp_path / "set" / "gateway").mkdir(parents=True)
    (tmp_path / "set" / "gateway" / "a.yaml").write_text("a")
    (tmp_path / "set" / "gateway" / "a.backup.1.yaml").write_text("old")
    (tmp_path / "set" / "notes.txt").write_text("x")
    (tmp_path / "loose.yml").write_text("b")

    files = files_from_paths([tmp_path / "set", tmp_path / "loose.yml"])

    assert [(f.path, f.content) for f in files] == [("gateway/a.yaml", "a"), ("loose.yml", "b")]


def test_bad_inputs_are_refused_with_their_name(tmp_path):
    with pytest.raises(ApplicationError, match="'x.zip' is not a zip archive"):
        files_from_uploads([("x.zip", b"not a zip")])
    with pytest.raises(ApplicationError, match="is not UTF-8 text"):
        files_from_uploads([("a.yaml", b"\xff\xfe")])
    with pytest.raises(ApplicationError, match="does not exist"):
        files_from_paths([tmp_path / "missing"])
    big = _zip({"big.yaml": b"x" * 1_000_001})
    with pytest.raises(ApplicationError, match="larger than 1 MB"):
        files_from_uploads([("big.zip", big)])


def test_zips_drop_the_folders_above_the_playbooks():
    data = _zip({"tool/playbooks/gateway/a.yaml": b"a", "tool/playbooks/perspective/b.yaml": b"b"})

    files = files_from_uploads([("tool.zip", data), ("notes.txt", b"c")])

    assert [f.path for f in files] == ["gateway/a.yaml", "perspective/b.yaml"]


def test_the_set_name_comes_from_the_zip_or_folder():
    assert set_name_of(["a.yaml", "Old Tool.zip"]) == "Old Tool"
    assert set_name_of(["/home/me/playbooks"]) == "playbooks"
    assert set_name_of(["a.yaml"]) == "set"
