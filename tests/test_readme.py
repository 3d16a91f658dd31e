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


def test_the_layout_names_every_module_and_only_modules_there_are():
    layout = readme().split("## Layout", 1)[1].split("\n## ", 1)[0]
    block = layout.split("    memorial_kit/", 1)[1].split("\n    seeds/", 1)[0]
    named = set(re.findall(r"\b([a-z_]+)\.py\b", block))
    package = ROOT / "memorial_kit"
    modules = {path.stem for path in package.rglob("*.py")
               if path.parent.name in ("memorial_kit", "po") and not path.stem.startswith("__")}
    assert named == modules, (sorted(modules - named), sorted(named - modules))
    assert "checks/" in block and "po/" in block
    for folder in ("tools", "benchmarks"):
        text = re.search(rf"\n    {folder}/(.*?)(?=\n    \S|\Z)", layout, re.S).group(1)
        text = re.sub(r"\([^)]*\)", "", text)         # what each file does, not names
        names = re.findall(r"\b([a-z_]+\.py)\b", text)
        assert names and all((ROOT / folder / name).exists() for name in names), names
