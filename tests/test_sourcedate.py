"""memorial_kit/sourcedate.py: SOURCE_DATE_EPOCH read and checked once, for the catalogs'
dates and the PDFs' alike; a bad value stops every command that writes a date, with exit 2
and nothing written."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from memorial_kit import catalogs, pdfstandards, sourcedate
from memorial_kit.errors import UsageError

from conftest import copy_workspace, run_kit, snapshot

UTC = dt.timezone.utc
HINT = "for example SOURCE_DATE_EPOCH=$(date +%s)"
# Bad for every reader: not a number, negative, past the year 9999, past any platform's
# clock, only a newline.
BAD = ["soon", "-5", "253402300800", "999999999999999999999", "\n"]


def refusal(value: str) -> str:
    return (f"error: SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970 "
            f"before the year 10000\n  hint: {HINT}\n")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_workspace(tmp_path_factory.mktemp("sourcedate") / "ws")


@pytest.fixture
def ws(base, tmp_path):
    return shutil.copytree(base, tmp_path / "ws")


# ---------------------------------------------------------------- the value ---
def test_unset_is_no_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert sourcedate.source_date() is None


@pytest.mark.parametrize("value, expected", [
    ("0", dt.datetime(1970, 1, 1, tzinfo=UTC)),
    ("1764460800", dt.datetime(2025, 11, 30, tzinfo=UTC)),
    ("1764460800\n", dt.datetime(2025, 11, 30, tzinfo=UTC)),       # read from a file
    (" 1700000000\t", dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
    ("253402300799", dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
])
def test_a_number_of_seconds_is_its_date_in_utc(monkeypatch, value, expected):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert sourcedate.source_date() == expected


@pytest.mark.parametrize("value", BAD + [
    "", "1e9", "1764460800.5", "0x10", "+5", "1_764_460_800", "²", "١٧٦٤٤٦٠٨٠٠",
    "1764460800\n1764460800", "1764460800 UTC"])
def test_anything_else_is_refused(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(UsageError) as refused:
        sourcedate.source_date()
    assert refused.value.message == (f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds "
                                     "since 1970 before the year 10000")
    assert refused.value.hint == HINT and refused.value.path is None


def test_a_long_value_is_shown_cut_short(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 100)
    with pytest.raises(UsageError) as refused:
        sourcedate.source_date()
    assert refused.value.message.startswith(f"SOURCE_DATE_EPOCH='{'9' * 40}' is not")


@pytest.mark.parametrize("value", BAD)
def test_the_catalogs_and_the_pdfs_refuse_alike(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for reader in (catalogs.creation_date, pdfstandards.build_time):
        with pytest.raises(UsageError) as refused:
            reader()
        assert str(refused.value) + f"\n  hint: {HINT}\n" == refusal(value)[len("error: "):]


def test_the_catalogs_and_the_pdfs_read_the_same_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800\n")
    assert catalogs.creation_date() == "2025-11-30 00:00+0000"
    assert pdfstandards.build_time() == dt.datetime(2025, 11, 30)


# ------------------------------------------------------------- the commands ---
@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("command", [
    ("init", "de"),
    ("extract",),
    ("build", "--locale", "lt", "--product", "plaque", "--format", "pdf"),
], ids=["init", "extract", "build"])
def test_a_command_that_writes_a_date_refuses_a_bad_value(ws, command, value):
    before = snapshot(ws)
    result = run_kit(ws, *command, env={"SOURCE_DATE_EPOCH": value})
    assert (result.returncode, result.stdout, result.stderr) == (2, "", refusal(value))
    assert snapshot(ws) == before
    assert not (ws / "locales" / "de").exists() and not (ws / "dist").exists()


def test_init_dates_the_catalog_it_starts(ws):
    result = run_kit(ws, "init", "de", env={"SOURCE_DATE_EPOCH": "1764460800\n"})
    assert result.returncode == 0, result.stderr
    header = (ws / "locales" / "de" / "LC_MESSAGES" / "memorial-kit.po").read_text("utf-8")
    assert '"PO-Revision-Date: 2025-11-30 00:00+0000\\n"' in header


def test_update_writes_no_date_so_it_reads_none(ws, tmp_path):
    """update keeps each catalog's PO-Revision-Date and takes POT-Creation-Date from the
    template, as msgmerge does: SOURCE_DATE_EPOCH is not read, good or bad."""
    with open(ws / "locales" / "memorial-kit.pot", "a", encoding="utf-8") as pot:
        pot.write('\nmsgid "A message added to the templates"\nmsgstr ""\n')
    other = shutil.copytree(ws, tmp_path / "other")
    bad = run_kit(ws, "update", "lt", env={"SOURCE_DATE_EPOCH": "soon"})
    good = run_kit(other, "update", "lt", env={"SOURCE_DATE_EPOCH": "0"})
    assert bad.returncode == good.returncode == 0, bad.stderr
    catalog = ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    assert 'msgid "A message added to the templates"' in catalog.read_text("utf-8")
    assert snapshot(ws) == snapshot(other)
