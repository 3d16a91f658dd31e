"""memorial_kit/kitcode.py: the digest of the kit's own code, which build records and kept
verdicts are keyed by.  Measured on a copy of the package, so that every change is real."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from memorial_kit import kitcode

PACKAGE = Path(kitcode.__file__).parent


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A copy of the package, which kitcode digests instead of the real one."""
    copy = tmp_path / "memorial_kit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kitcode, "_PACKAGE", copy)
    monkeypatch.setattr(kitcode, "_DIGEST", [])
    return copy


def digest_now(monkeypatch) -> str:
    """The digest computed afresh (a process computes it once)."""
    monkeypatch.setattr(kitcode, "_DIGEST", [])
    return kitcode.code_digest()


def test_the_copy_digests_as_the_package_itself(package, monkeypatch):
    copied = kitcode.code_digest()
    assert re.fullmatch(r"[0-9a-f]{64}", copied)
    monkeypatch.setattr(kitcode, "_PACKAGE", PACKAGE)
    assert digest_now(monkeypatch) == copied


def test_it_is_stable_while_nothing_changes(package, monkeypatch):
    first = kitcode.code_digest()
    assert kitcode.code_digest() == first
    assert digest_now(monkeypatch) == first
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"\0compiled")
    (package / "notes.txt").write_text("not code")
    assert digest_now(monkeypatch) == first


@pytest.mark.parametrize("module", ["build.py", "errors.py", "po/reader.py",
                                    "checks/__init__.py"])
def test_a_change_to_any_module_changes_it(package, monkeypatch, module):
    before = kitcode.code_digest()
    path = package / module
    path.write_bytes(path.read_bytes() + b"\n# changed\n")
    assert digest_now(monkeypatch) != before


def test_a_new_removed_or_renamed_module_changes_it(package, monkeypatch):
    digests = {kitcode.code_digest()}
    (package / "extra.py").write_text("")
    digests.add(digest_now(monkeypatch))
    (package / "extra.py").rename(package / "other.py")
    digests.add(digest_now(monkeypatch))
    (package / "other.py").unlink()
    assert digest_now(monkeypatch) in digests           # back as it was
    assert len(digests) == 3


def test_moving_code_between_modules_changes_it(package, monkeypatch):
    """The same bytes in all, split otherwise: a record made by the other split is stale."""
    (package / "one.py").write_text("A = 1\nB = 2\n")
    (package / "two.py").write_text("")
    before = digest_now(monkeypatch)
    (package / "one.py").write_text("A = 1\n")
    (package / "two.py").write_text("B = 2\n")
    assert digest_now(monkeypatch) != before
