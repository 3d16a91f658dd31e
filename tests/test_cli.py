"""The command line as a user meets it: help, JSON, colour, errors, new and preview."""
import json
import re
import subprocess
import sys

import pytest

from conftest import as_in_a_pipe, run_kit, snapshot

COMMANDS = ["extract", "init", "update", "compile", "stats", "build", "check", "pseudo",
            "new", "preview", "serve"]


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


def test_in_a_pipe_each_line_arrives_when_its_job_ends(workspace):
    """stdout into a pipe is block-buffered (unless PYTHONUNBUFFERED is set, as it is not for
    ``memorial-kit build | tee build.log``): each job's line is flushed, so the first read
    of the pipe gets the first jobs' lines while the build still runs, not every line with
    the summary at its end."""
    import os
    command = subprocess.Popen([sys.executable, "-m", "memorial_kit", "--root", str(workspace),
                                "build", "--force"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=as_in_a_pipe())
    first = os.read(command.stdout.fileno(), 1 << 20)      # what is in the pipe when it is
    rest = command.stdout.read()
    assert command.wait() == 0
    assert first.startswith((b"built ", b"skipped ")), first
    summary = (first + rest).splitlines()[-1]
    assert re.fullmatch(rb"\d+ built, \d+ unchanged, \d+ skipped, 0 failed", summary), summary
    assert summary not in first, "every line came at once, at the build's end"


# --------------------------------------------------------------------------
# Manners: --version, options anywhere, "did you mean", each command's own usage
# --------------------------------------------------------------------------
from memorial_kit import __version__, cli  # noqa: E402


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"memorial-kit {__version__}"


@pytest.mark.parametrize("argv", [["--quiet", "extract"], ["extract", "--quiet"],
                                  ["extract", "-q", "--verbose"]])
def test_quiet_and_verbose_before_or_after_the_command(workspace, capsys, argv):
    assert cli.main(["--root", str(workspace), *argv]) == 0
    assert capsys.readouterr().out == ""


def test_every_command_accepts_quiet_verbose_and_root_after_it():
    parser = cli._parser()
    for name, sub in parser.commands.items():
        options = {o for action in sub._actions for o in action.option_strings}
        assert {"--quiet", "-q", "--verbose", "-v", "--root"} <= options, name


def test_an_option_before_the_command_is_not_undone_after_it(workspace, capsys):
    assert cli.main(["--quiet", "stats", "--root", str(workspace), "lt"]) == 0
    assert capsys.readouterr().out == ""
    assert cli.main(["stats", "lt", "--root", str(workspace), "--verbose"]) == 0
    assert "vorkuta-uprising" in capsys.readouterr().out


def test_did_you_mean_a_command(capsys):
    assert cli.main(["biuld"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'biuld'" in err and "did you mean 'build'?" in err


def test_did_you_mean_an_option_with_the_commands_own_usage(capsys):
    assert cli.main(["build", "--formats", "pdf"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: memorial-kit build ")
    assert "memorial-kit build: error: unrecognized arguments: --formats pdf" in err
    assert "did you mean '--format'?" in err


def test_did_you_mean_a_choice(capsys):
    assert cli.main(["build", "--product", "leaflte"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: memorial-kit build ") and "did you mean 'leaflet'?" in err


def test_did_you_mean_an_option_before_the_command(capsys):
    assert cli.main(["--verison"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: memorial-kit ") and "did you mean '--version'?" in err
    assert cli.main([]) == 2
    assert "the following arguments are required: COMMAND" in capsys.readouterr().err


def test_nothing_close_suggests_nothing(capsys):
    assert cli.main(["check", "--zzzzzz"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: memorial-kit check ") and "did you mean" not in err


def test_workspace_found_from_a_folder_inside_it(workspace, monkeypatch, capsys):
    monkeypatch.chdir(workspace / "seeds" / "vorkuta-uprising")
    assert cli.main(["stats", "lt"]) == 0
    assert "vorkuta-uprising" in capsys.readouterr().out


def test_no_workspace_above_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "is not inside a memorial-kit workspace" in err and "hint:" in err


def test_preview_of_a_locale_not_in_the_manifest(workspace, capsys):
    before = snapshot(workspace)
    assert cli.main(["--root", str(workspace), "preview", "de"]) == 2
    err = capsys.readouterr().err.splitlines()
    manifest = (workspace / "seeds" / "vorkuta-uprising" / "memorial.toml").read_text("utf-8")
    line = next(n for n, text in enumerate(manifest.splitlines(), 1) if text.startswith("locales"))
    assert err[0] == (f"seeds/vorkuta-uprising/memorial.toml:{line}: error: 'de' is not a locale "
                      "of vorkuta-uprising's manifest: its locales are en, lt, ru, la")
    assert "memorial-kit init de" in err[1]
    assert snapshot(workspace) == before and not (workspace / "dist").exists()


def test_preview_failure_names_the_po_file_and_line(workspace, capsys):
    po = workspace / "locales" / "ru" / "LC_MESSAGES" / "memorial-kit.po"
    text = po.read_text("utf-8")
    line = text.splitlines().index('msgid "Page %(page)s of %(pages)s"') + 1
    po.write_text(text.replace('"Страница %(page)s из %(pages)s"', '"Страница %(page)s из %(all)s"'),
                  "utf-8")
    assert cli.main(["--root", str(workspace), "preview", "ru", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)["report"]
    leaflet = next(r for r in report["results"] if r["job"] == "vorkuta-uprising/leaflet/ru")
    # check's verdict holds the leaflet back, and says where: path:line: error: [code]
    assert leaflet["status"] == "skipped"
    assert leaflet["findings"][0].startswith(
        f"locales/ru/LC_MESSAGES/memorial-kit.po:{line}: error: [format-python] ")
