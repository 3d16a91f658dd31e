"""tomlpos finds the line of every table, key and array item, by the path into tomllib's data."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memorial_kit.tomlpos import deepest_line, error_line, locate

ROOT = Path(__file__).resolve().parent.parent


def paths(data, prefix=()):
    """Every path into parsed TOML data: tables, keys and array items."""
    items = data.items() if isinstance(data, dict) else \
        enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from paths(value, prefix + (key,))


def lines_of(text: str) -> dict[tuple, int]:
    found = locate(text)
    return {path: found.line(*path) for path in paths(tomllib.loads(text))}


def test_tables_keys_and_comments():
    text = ('# [not] = "a table"\n'
            '[memorial]   # the edition\n'
            'title = "Vorkuta # not a comment"\n'
            '\n'
            '[print]\n'
            'font = "DejaVu Serif"  # [memorial]\n')
    assert lines_of(text) == {("memorial",): 2, ("memorial", "title"): 3,
                              ("print",): 5, ("print", "font"): 6}


def test_nested_tables_and_dotted_keys():
    text = ("[names.lt]\n"
            "Vorkuta = 'Vorkut'\n"
            "[names]\n"
            "site.url = 'https://x.org'\n"
            "[names.ru]\n"
            "Vorkuta = 'Воркут'\n")
    found = locate(text)
    assert found.line("names") == 1          # first written as part of [names.lt]
    assert (found.line("names", "lt", "Vorkuta"), found.line("names", "site", "url"),
            found.line("names", "ru", "Vorkuta")) == (2, 4, 6)
    assert found.line("names", "site") == 4
    assert ("names", "fr") not in found and found.line("names", "fr") is None


def test_arrays_of_tables_count_per_parent():
    text = ("[[monuments]]\nid = 'a'\n"
            "[[monuments.faces]]\nid = 'front'\n"
            "[[monuments.faces]]\nid = 'back'\n"
            "[[monuments]]\nid = 'b'\n"
            "[[monuments.faces]]\nid = 'top'\n")
    found = locate(text)
    assert [found.line("monuments", m) for m in (0, 1)] == [1, 7]
    assert [found.line("monuments", 0, "faces", f, "id") for f in (0, 1)] == [4, 6]
    assert found.line("monuments", 1, "faces", 0, "id") == 10
    assert found.line("monuments", 1, "faces", 1) is None
    assert all(line is not None for line in lines_of(text).values())


def test_inline_tables_and_arrays_over_several_lines():
    text = ('[facts]\n'
            'killed = [\n'
            '  { count = 42, source = "Markizov" },   # one count\n'
            '\n'
            '  { count = 66, "source" = "Solzhenitsyn" },\n'
            ']\n'
            'pairs = [["ru", "en"],\n'
            '         ["lt", "en"]]\n'
            'empty = {}\n'
            'when = [1953-07-19 10:00:00, 1953-08-01T10:00:00Z]\n')
    found = lines_of(text)
    assert found[("facts", "killed")] == 2
    assert found[("facts", "killed", 0, "source")] == 3
    assert found[("facts", "killed", 1)] == found[("facts", "killed", 1, "source")] == 5
    assert (found[("facts", "pairs", 0, 1)], found[("facts", "pairs", 1, 0)]) == (7, 8)
    assert found[("facts", "empty")] == 9 and found[("facts", "when", 1)] == 10


def test_multi_line_strings_hide_what_looks_like_toml():
    text = ('[labels]\n'
            'text = """\n'
            '[[monuments]]\n'
            'id = "fake" \\"""\n'
            'ends with quotes"""""\n'
            "raw = '''\n"
            "[print]'''\n"
            'after = 1\n')
    found = locate(text)
    assert tomllib.loads(text)["labels"]["text"].endswith('quotes""')
    assert (found.line("labels", "text"), found.line("labels", "raw"),
            found.line("labels", "after")) == (2, 6, 8)
    assert "monuments" not in found and ("print",) not in found


def test_quoted_keys_are_read_as_tomllib_reads_them():
    text = ('[names.lt]\n'
            '"Jānis Mendriks" = "Mendrik"\n'
            "'John H. Noble' = 'Nobl'\n"
            '"a\\u0062c" = "escaped"\n'
            '"" = "empty"\n'
            '"dotted.key" = 1\n')
    found = locate(text)
    assert [found.line("names", "lt", key)
            for key in ("Jānis Mendriks", "John H. Noble", "abc", "", "dotted.key")] == [
        2, 3, 4, 5, 6]


def test_crlf_line_ends():
    text = '[memorial]\r\ntitle = "x"\r\n\r\nlocales = ["en"]\r\n'
    assert lines_of(text) == {("memorial",): 1, ("memorial", "title"): 2,
                              ("memorial", "locales"): 4, ("memorial", "locales", 0): 4}


@pytest.mark.parametrize("manifest", sorted(
    list((ROOT / "seeds").glob("*/memorial.toml"))
    + list((ROOT / "tests" / "data" / "bad" / "tolerated").glob("*.toml"))), ids=str)
def test_every_path_of_a_real_manifest_has_the_line_that_writes_it(manifest):
    text = manifest.read_text("utf-8-sig").replace("\r\n", "\n")
    source = text.split("\n")
    for path, line in lines_of(text).items():
        assert line is not None, path
        key = path[-1]
        if isinstance(key, str) and not any(isinstance(k, int) for k in path[-2:-1]):
            assert key.split(" ")[0] in source[line - 1], (path, line)


@pytest.mark.parametrize("text", [
    '[memorial\ntitle = "x"\n',
    'title = "x" y = 1\n',
    'a = """never closed\n',
    'a = [1, 2\n',
    'a = { b = 1\n',
    "= 1\n",
    '[[a]]\n[a]\n',
    "a = 'x\n",
    "",
    "\ufeff# bom",
    "a = " + "[" * 5000,
])
def test_text_tomllib_refuses_is_scanned_without_failing(text):
    found = locate(text)
    assert found.line("nothing") is None


def test_what_comes_before_unreadable_text_is_kept():
    found = locate('[memorial]\ntitle = "x"\n!!! not toml\n[print]\nfont = "y"\n')
    assert found.line("memorial", "title") == 2
    assert found.line("print") is None


def test_error_line_and_deepest_line_place_refused_text():
    text = '[memorial]\ntitle = "x"\nlocales = ["en"\n'
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    assert error_line(info.value, text) in (3, 4)
    deep = 'a = 1\nb = [\n  [[[["x"]]]],  # [[[[[[[[\n  "[[[["\n]\n'
    assert deepest_line(deep) == 3
    assert deepest_line("") == 1


keys = st.sampled_from(["id", "text", "lt", '"Jānis Mendriks"', "'a.b'", "a.b", '"a#b"', "x-1"])
scalars = st.sampled_from(['"x"', "'y # z'", '"""\n[t]\nk = 1\n"""', "'''a\n'b'\n'''", "42",
                           "-1.5", "true", "1953-07-19", "1953-07-19 10:00:00", '"[[a]]"', '"{"'])
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    | st.lists(inner, min_size=1, max_size=3).map(
        lambda items: "[\n  " + ",\n  ".join(items) + ",  # c\n]")
    | st.lists(st.tuples(keys, inner), max_size=3).map(
        lambda pairs: "{ " + ", ".join(f"{k} = {v}" for k, v in pairs) + " }"),
    max_leaves=6)
toml_lines = st.one_of(
    st.tuples(keys, values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.sampled_from(["[a]", "[a.b]", "[[c]]", "[[c.d]]", '["q r".s]', "# [[c]]", ""]))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(toml_lines, max_size=12))
def test_every_path_tomllib_reads_has_a_line(document):
    """Whatever TOML tomllib accepts, each of its paths has a line, which writes its key."""
    text = "\n".join(document)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    source = text.split("\n")
    found = locate(text)
    for path in paths(data):
        line = found.line(*path)
        assert line is not None, (path, text)
        if isinstance(path[-1], str) and path[-1].isidentifier():
            assert path[-1] in source[line - 1], (path, line, text)
