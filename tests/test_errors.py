"""memorial_kit/errors.py: every error the kit raises says where (``path:line``), what and,
where one helps, how to fix it; the kind of error decides the command's exit code."""
from __future__ import annotations

import pytest

from memorial_kit import api, cli
from memorial_kit.errors import (
    CatalogError, ConflictError, InvariantError, LockError, LockTimeout, ManifestError,
    MemorialKitError, RenderError, SourceError, TemplateError, UsageError, WorkerDied,
    WriteError,
)

PO = "locales/lt/LC_MESSAGES/memorial-kit.po"


def test_str_is_path_line_message():
    error = CatalogError("unterminated string", path=PO, line=12, hint="close the quote")
    assert str(error) == f"{PO}:12: unterminated string"
    assert (error.path, error.line, error.message, error.hint) == (
        PO, 12, "unterminated string", "close the quote")


def test_without_a_line_the_path_alone_and_without_a_path_the_message_alone():
    assert str(ManifestError("not TOML", path="seeds/m/memorial.toml")) == \
        "seeds/m/memorial.toml: not TOML"
    bare = UsageError("--port 0x is not a port")
    assert str(bare) == "--port 0x is not a port"
    assert bare.location == "" and bare.path is None and bare.line is None and bare.hint is None


def test_a_path_object_is_kept_as_text(tmp_path):
    error = SourceError("no title", path=tmp_path / "article.txt", line=1)
    assert error.path == str(tmp_path / "article.txt")
    assert str(error) == f"{tmp_path}/article.txt:1: no title"


@pytest.mark.parametrize("kind, code", [
    (UsageError, 2), (SourceError, 2), (ManifestError, 2), (CatalogError, 2),
    (TemplateError, 2), (RenderError, 2), (LockError, 2), (WriteError, 2),
    # nothing was wrong with the input: the command stopped to keep a promise
    (ConflictError, 1), (InvariantError, 1), (WorkerDied, 1), (LockTimeout, 1),
])
def test_the_exit_code_map(kind, code):
    error = kind("problem")
    assert isinstance(error, MemorialKitError)
    assert error.exit_code == code


def test_a_lock_timeout_is_a_lock_error_and_a_write_error_an_os_error():
    assert issubclass(LockTimeout, LockError)
    with pytest.raises(OSError):
        raise WriteError("No space left on device", path="dist/index.html")


@pytest.fixture
def bare_workspace(tmp_path):
    (tmp_path / "seeds").mkdir()
    return tmp_path


@pytest.mark.parametrize("error, code, printed", [
    (CatalogError("unterminated string", path=PO, line=12, hint="close the quote with \""),
     2, f"{PO}:12: error: unterminated string\n  hint: close the quote with \"\n"),
    (ManifestError("[print] bleed_mm must be a number", path="seeds/m/memorial.toml"),
     2, "seeds/m/memorial.toml: error: [print] bleed_mm must be a number\n"),
    (UsageError("'xx' is not a locale code the kit knows", hint="use a CLDR code"),
     2, "error: 'xx' is not a locale code the kit knows\n  hint: use a CLDR code\n"),
    (ConflictError("changed on disk while the command ran; nothing was written", path=PO),
     1, f"{PO}: error: changed on disk while the command ran; nothing was written\n"),
])
def test_the_command_line_prints_it_as_one_line_and_a_hint(bare_workspace, monkeypatch, capsys,
                                                          error, code, printed):
    def fail(*args, **kwargs):
        raise error
    monkeypatch.setattr(api, "stats", fail)
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.main(["--root", str(bare_workspace), "stats"]) == code
    captured = capsys.readouterr()
    assert captured.err == printed and captured.out == ""
