"""README's claims, run: the Python API example and the two commands' shape."""
import re
import subprocess
import sys

from conftest import ROOT


def readme() -> str:
    return (ROOT / "README.md").read_text("utf-8")


def test_python_api_example_runs(workspace):
    example = re.search(r"```python\n(.*?)```", readme(), re.S)[1]
    result = subprocess.run([sys.executable, "-c", example], cwd=workspace, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Tėvynė Lietuva didžiuojasi"
    assert lines[1] == "built ['dist/vorkuta-uprising/lt/plaque.pdf']"
    assert "vorkuta-uprising 100.0" in lines
    assert any(line.startswith("info coverage locales/lt/") for line in lines)
    assert (workspace / "dist" / "vorkuta-uprising" / "lt" / "plaque.pdf").exists()


def test_the_two_commands_and_ci():
    commands = re.findall(r"^    \$ (.*)$", readme(), re.M)
    assert commands == ["python3 -m pip install -e . && memorial-kit build",
                        "python3 -m pip install -e '.[test]' && python3 -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "grep -m1 pytest" in ci            # CI runs README's test command, as written
