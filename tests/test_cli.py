"""The command line as a user meets it: help, JSON, colour, errors, new and preview."""
import json
import subprocess
import sys

import pytest

from conftest import run_kit

COMMANDS = ["extract", "init", "update", "compile", "stats", "build", "check", "pseudo",
            "new", "preview"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, tmp_path):
    result = subprocess.run([sys.executable, "-m", "memorial_kit", command, "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "example:" in result.stdout and f"memorial-kit {command}" in result.stdout


def test_json_reports_for_file_commands(workspace):
    result = run_kit(workspace, "extract", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert {r["path"] for r in rows} == {"locales/memorial-kit.pot", "locales/vorkuta-uprising.pot"}
    update = json.loads(run_kit(workspace, "update", "lt", "--json").stdout)
    assert all("kept" in r["detail"] for r in update)


def test_errors_are_path_line_and_hint_without_colour_in_a_pipe(workspace):
    po = workspace / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "unterminated\nmsgstr ""\n', "utf-8")
    result = run_kit(workspace, "compile", "lt", env={"NO_COLOR": "1"})
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("locales/lt/LC_MESSAGES/memorial-kit.po:") and ": error: " in first
    assert "\033[" not in result.stderr


def test_not_a_workspace(tmp_path):
    result = subprocess.run([sys.executable, "-m", "memorial_kit", "--root", str(tmp_path), "stats"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "not a memorial-kit workspace" in result.stderr
    assert "hint:" in result.stderr


def test_quiet_prints_nothing_on_success(workspace):
    result = run_kit(workspace, "--quiet", "extract")
    assert result.returncode == 0 and result.stdout == ""


def test_preview_prints_png_and_html_paths(workspace):
    result = run_kit(workspace, "preview", "ru")
    assert result.returncode == 0, result.stdout + result.stderr
    paths = result.stdout.split()
    assert any(p.endswith("dist/vorkuta-uprising/ru/leaflet.png") for p in paths)
    assert any(p.endswith("dist/vorkuta-uprising/ru/plaque.html") for p in paths)
    assert any(p.endswith("dist/vorkuta-uprising/labels/ru-en.png") for p in paths)
    again = json.loads(run_kit(workspace, "preview", "ru", "--json").stdout)
    assert {r["status"] for r in again["report"]["results"]} == {"unchanged"}


def test_new_through_the_command_line(workspace, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("= Test memorial =\n\nInfobox\n- Date: 1 May 1990\n\n"
                       "A memorial with no inscriptions.\n", "utf-8")
    result = run_kit(workspace, "new", "test-memorial", "--article", str(article))
    assert result.returncode == 0, result.stderr
    assert "CONFIRM" in result.stdout
    toml = (workspace / "seeds" / "test-memorial" / "memorial.toml").read_text("utf-8")
    assert "date = 1990-05-01" in toml
    again = run_kit(workspace, "new", "test-memorial", "--article", str(article))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert run_kit(workspace, "extract").returncode == 0
    built = run_kit(workspace, "build", "--memorial", "test-memorial", "--format", "html")
    assert built.returncode == 0, built.stdout


def test_progress_bar_on_a_terminal_plain_lines_in_a_pipe(workspace):
    import shutil
    if shutil.which("script") is None:
        pytest.skip("util-linux 'script' is needed to give the command a terminal")
    command = f"{sys.executable} -m memorial_kit --root {workspace} build --locale lt --format html"
    tty = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, text=True,
                         env={**__import__("os").environ, "TERM": "xterm"})
    assert tty.returncode == 0, tty.stdout
    assert "\033[K[" in tty.stdout and "] 3/3 " in tty.stdout        # the bar, redrawn in place
    piped = run_kit(workspace, "build", "--locale", "lt", "--format", "html", "--force")
    assert "\033[" not in piped.stdout + piped.stderr
    assert piped.stdout.count("built ") == 3                         # one plain line per product
