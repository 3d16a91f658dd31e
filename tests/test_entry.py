"""memorial_kit/entry.py: the ``memorial-kit`` console script (and ``python -m
memorial_kit``).  A Ctrl-C while the kit is still loading ends it as one during its work
does: the line ``interrupted``, exit 130.  Each case runs in a process of its own, as the
entry point ends the process."""
from __future__ import annotations

import subprocess
import sys

from memorial_kit import __version__

INTERRUPTED_IMPORT = """
import sys

class InterruptedImport:
    # a Ctrl-C arriving while memorial_kit.cli is imported
    def find_spec(self, name, path=None, target=None):
        if name == "memorial_kit.cli":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, InterruptedImport())
from memorial_kit.entry import command
command()
print("not reached")
"""


def run_entry(*args: str, code: str = "from memorial_kit.entry import command; command()",
              cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=cwd)


def test_a_ctrl_c_while_loading_is_one_line_and_exit_130(tmp_path):
    result = run_entry(code=INTERRUPTED_IMPORT, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "interrupted\n")


def test_once_loaded_it_runs_the_command_line(tmp_path):
    result = run_entry("--version", cwd=tmp_path)
    assert result.returncode == 0 and __version__ in result.stdout and result.stderr == ""


def test_its_exit_code_is_the_commands(tmp_path):
    result = run_entry("stats", cwd=tmp_path)            # not in a workspace
    assert result.returncode == 2
    assert "is not inside a memorial-kit workspace" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_usage_through_the_entry_point_exits_2(tmp_path):
    result = run_entry("extrct", cwd=tmp_path)
    assert result.returncode == 2
    assert "did you mean" in result.stderr and "extract" in result.stderr
    assert "Traceback" not in result.stderr
