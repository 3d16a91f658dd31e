"""Section 6 of benchmarks/run.py: the edition at 4, 33 and 100 locales.

The shipped memorial is copied and given more locales: languages CLDR knows whose
script the bundled fonts cover (Latin, Cyrillic, Greek), each started with
`memorial-kit init` and filled with stand-in translations (the English text, letter
for letter transliterated into the locale's script; placeholders, markup and
numbers kept; carved inscriptions get the carved text).  Each size is measured as
whole `memorial-kit build` processes: a cold edition, a rebuild with nothing
changed, and a rebuild after one msgstr changed in one locale, with the peak memory
of the build and all its workers together.

Also imported by tests/test_scale.py, which builds such a workspace.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

SIZES = (4, 33, 100)
QUICK_SIZES = (4, 33)
SCRIPTS = ("Latn", "Cyrl", "Grek")

# Stand-in letters: the English text in the locale's script, so that shaping, fonts and
# line breaking do the work a real translation asks of them.
_CYRILLIC = dict(zip("abcdefghijklmnopqrstuvwxyz",
                     "абцдефгхийклмнопкрстуввксыз"))
_GREEK = dict(zip("abcdefghijklmnopqrstuvwxyz",
                  "αβψδεφγηιξκλμνοπκρστυωωχυζ"))
ALPHABETS = {"Cyrl": _CYRILLIC, "Grek": _GREEK}
# What a stand-in keeps as it is besides placeholders: markup, entities, URLs.
KEEP = r"<[^>]*>|&[#\w]+;|https?://\S+"


def candidate_locales(exclude=()) -> list[tuple[str, str]]:
    """(code, script) of every language-only CLDR locale written in a covered script."""
    from babel import localedata
    from babel.core import get_global
    likely = get_global("likely_subtags")
    found = []
    for code in sorted(localedata.locale_identifiers()):
        if "_" in code or code in exclude or not re.fullmatch(r"[a-z]{2,3}", code):
            continue
        parts = likely.get(code, "").split("_")
        if len(parts) > 1 and parts[1] in SCRIPTS:
            found.append((code, parts[1]))
    # The most widely official languages first (as a museum would add them), the scripts
    # mixed by that order alone.
    return sorted(found, key=lambda item: (-_official_in(item[0]), item[0]))


def _official_in(code: str) -> float:
    """How widely ``code`` is an official language: territories, then their share."""
    from babel.core import get_global
    count, share = 0, 0.0
    for languages in get_global("territory_languages").values():
        info = languages.get(code)
        if info and info.get("official_status"):
            count += 1
            share += info.get("population_percent", 0) / 1000
    return count + min(share, 0.99)


def transliterate(text: str, script: str, keep: str = KEEP) -> str:
    """``text`` with its letters in ``script``; placeholders and what ``keep`` matches are
    kept."""
    from memorial_kit import placeholders
    table = ALPHABETS.get(script)
    if not table:
        return text
    return placeholders.protect(text, lambda part: _letters(part, table), also=keep)


def _letters(text: str, table: dict) -> str:
    return "".join(table.get(ch.lower(), ch).upper() if ch.isupper() and ch.lower() in table
                   else table.get(ch, ch) for ch in text)


def set_locales(manifest: Path, codes: list[str]) -> None:
    """Rewrite ``[memorial] locales`` of a manifest (the only line that changes)."""
    text = manifest.read_text("utf-8")
    listed = ", ".join(f'"{c}"' for c in codes)
    new, count = re.subn(r"(?m)^locales = \[[^\]]*\]$", f"locales = [{listed}]", text, count=1)
    if count != 1:
        raise RuntimeError(f"{manifest}: no 'locales = [...]' line to rewrite")
    manifest.write_text(new, "utf-8")


def many_locales_workspace(source: Path, target: Path, size: int) -> list[str]:
    """A copy of the workspace ``source`` whose memorials have ``size`` locales, every
    catalog complete with stand-in translations.  Returns the locales added."""
    from memorial_kit import api
    from memorial_kit.workspace import Workspace
    target.mkdir(parents=True)
    for name in ("seeds", "templates", "locales"):
        shutil.copytree(source / name, target / name,
                        ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    ws = Workspace(target)
    memorial = ws.memorials()[0]
    have = list(memorial.locales)
    scripts = dict(candidate_locales(exclude=have))
    added = list(scripts)[:max(0, size - len(have))]
    set_locales(memorial.manifest_path, have + added)
    ws = Workspace(target)
    for code in added:
        api.init(ws, code)
    fill_catalogs(target, {code: scripts[code] for code in added})
    return added


def fill_catalogs(root: Path, scripts: dict[str, str]) -> None:
    """Every untranslated message of every catalog: its English text (in the locale's
    script for the locales of ``scripts``); inscriptions: their carved text."""
    from memorial_kit import catalogs, inscriptions, po as pofile
    from memorial_kit.workspace import Workspace
    ws = Workspace(root)
    for memorial in ws.memorials():
        keep = _keeping(memorial)
        for domain in catalogs.domains(ws, [memorial]):
            carved_by_locale = {}
            for code in domain.locales:
                path = ws.po_path(code, domain.name)
                if not path.exists():
                    continue
                carved = carved_by_locale.setdefault(code, inscriptions.carved_entries([memorial], code))
                po = pofile.read_po(path.read_bytes(), str(path))
                _fill(po, carved, scripts.get(code, "Latn"), keep)
                path.write_bytes(pofile.write_po(po))


def _keeping(memorial) -> str:
    """KEEP, and the carved texts of every inscription: a translation quotes them
    letter for letter."""
    from memorial_kit import inscriptions
    carved = sorted({c.text for c in inscriptions.carvings([memorial])}, key=len, reverse=True)
    return "|".join([re.escape(t) for t in carved] + [KEEP])


def _fill(po, carved: dict, script: str, keep: str) -> None:
    nplurals = 1
    for entry in po.entries:
        if entry.msgid_plural and entry.msgstr_plural:
            nplurals = len(entry.msgstr_plural)
            break
    for entry in po.entries:
        if entry.obsolete:
            continue
        if entry.key in carved:
            entry.msgstr = carved[entry.key]
        elif not entry.translated:
            entry.fuzzy = False
            if entry.msgid_plural:
                entry.msgstr_plural = ([transliterate(entry.msgid, script, keep)] +
                                       [transliterate(entry.msgid_plural, script, keep)]
                                       * (nplurals - 1))
            else:
                entry.msgstr = transliterate(entry.msgid, script, keep)


EDIT_MARKS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")
_MARK_RE = re.compile(r"^(\S+) (?:%s) " % "|".join(EDIT_MARKS))


def edit_one_msgstr(path: Path, number: int) -> str:
    """Change one paragraph's translation a little (not an inscription, not a plural): a
    word after its first one, no number or mark a check would hold against it.  Returns
    the word."""
    from memorial_kit import po as pofile
    catalog = pofile.read_po(path.read_bytes(), str(path))
    entry = next(e for e in catalog.entries if e.translated and not e.msgid_plural
                 and not e.obsolete and not e.msgctxt and len(e.msgid) > 40)
    mark = EDIT_MARKS[number % len(EDIT_MARKS)]
    first, rest = _MARK_RE.sub(r"\1 ", entry.msgstr).split(" ", 1)
    entry.msgstr = f"{first} {mark} {rest}"
    path.write_bytes(pofile.write_po(catalog))
    return mark


# --------------------------------------------------------------------------
# Whole processes with the peak memory of the process tree
# --------------------------------------------------------------------------
def _tree_rss_kb(root_pid: int) -> int:
    """The resident memory of ``root_pid`` and all its descendants, in KiB."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, wanted = 0, {root_pid}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in wanted and pid not in wanted:
                wanted.add(pid)
                changed = True
    for pid in wanted:
        total += rss.get(pid, 0)
    return total


def run_build(root: Path, *extra: str) -> dict:
    """`memorial-kit build --json` as a whole process: wall seconds, peak memory of the
    process tree (sampled every 20 ms), and what each job did."""
    command = [sys.executable, "-m", "memorial_kit", "--root", str(root), "build", "--json",
               *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.02)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"build failed ({proc.returncode}):\n{stderr[-3000:]}")
    report = json.loads(stdout)
    results = report["results"] if isinstance(report, dict) else report
    return {"seconds": seconds, "peak_mib": peak[0] / 1024, "results": results}


def rebuilt(data: dict) -> list[str]:
    return sorted(r["job"] for r in data["results"] if r["status"] == "built")


# --------------------------------------------------------------------------
# The section
# --------------------------------------------------------------------------
def section_scale(args, tmp: Path, bench) -> list:
    """Measure each size; ``bench`` is run.py (its Table, target and formatting).

    The sizes take turns within each kind of measurement (every size's no-change rebuild,
    then every size's edit, run after run), so that a ratio between sizes compares
    builds made minutes apart at most, not a VM's fast spell with its slow one."""
    sizes = QUICK_SIZES if args.quick else SIZES
    table = bench.Table("6. the edition at many locales (whole `memorial-kit build` processes, "
                        "html+pdf+png)",
                        ["locales", "jobs", "cold", "no change", "one msgstr edited",
                         "rebuilt after the edit", "peak memory (build + workers)"])
    roots = {size: tmp / f"scale-{size}" for size in sizes}
    for size, root in roots.items():
        many_locales_workspace(bench.ROOT, root, size)
    colds = {size: run_build(root, "--force") for size, root in roots.items()}
    print("[6] cold editions built", flush=True)
    nochange = {size: [] for size in sizes}
    for _ in range(args.runs):
        for size, root in roots.items():
            nochange[size].append(run_build(root))
    edited, edits = {}, {size: [] for size in sizes}
    for size, root in roots.items():
        memorial = _memorial(root)
        edited[size] = (memorial.locales[-1], root / "locales" / memorial.locales[-1]
                        / "LC_MESSAGES" / f"{memorial.domain}.po")
    for number in range(args.runs):
        for size, root in roots.items():
            edit_one_msgstr(edited[size][1], number)
            edits[size].append(run_build(root))
    print("[6] edits rebuilt", flush=True)
    figures = {size: _figures(bench, colds[size], nochange[size], edits[size], edited[size][0])
               for size in sizes}
    for size in sizes:
        cold, found = colds[size], figures[size]
        failed = [r for r in cold["results"] if r["status"] not in ("built",)]
        whose = f"{'only' if found['only_own'] else 'not only'} {edited[size][0]}'s"
        table.add(str(size), str(len(cold["results"])), bench.fmt_s(cold["seconds"]),
                  bench.fmt_s(found["nochange"]), bench.fmt_s(found["edit"]),
                  f"{len(rebuilt(edits[size][-1]))} ({whose})", f"{found['peak']:.0f} MiB")
        if failed:
            table.note(f"{size} locales: jobs not built: " + "; ".join(
                f"{r['job']}: {r['status']} {r.get('reason', '')[:80]}" for r in failed[:5]))
    table.note("stand-in translations: the English text transliterated into each locale's "
               "script (Latin, Cyrillic, Greek); the edited locale is the last one added. "
               "Peak memory: the resident memory of the build process and its workers together, "
               "sampled every 20 ms. The sizes take turns: every cold edition, then each "
               "run's no-change rebuild and each run's edit at every size.")
    table.show()
    _targets(figures, bench)
    return [table]


def _figures(bench, cold: dict, nochange: list, edits: list, edited_locale: str) -> dict:
    own = sorted(r["job"] for r in cold["results"] if r["status"] == "built"
                 and edited_locale in r["job"].split("/")[-1].split("-"))
    peak = max([cold["peak_mib"]] + [n["peak_mib"] for n in nochange + edits])
    return {"cold": cold["seconds"], "edit": bench.median([e["seconds"] for e in edits]),
            "nochange": bench.median([n["seconds"] for n in nochange]), "peak": peak,
            "only_own": all(rebuilt(e) == own for e in edits)}


def _memorial(root: Path):
    from memorial_kit.workspace import Workspace
    return Workspace(root).memorials()[0]


def _targets(figures: dict, bench) -> None:
    base = figures.get(4)
    for size, limit in ((33, 1.3), (100, 1.5)):
        found = figures.get(size)
        bench.target(f"one-message edit at {size} locales <= {limit}x the same at 4",
                     None if not (found and base) else found["edit"] <= limit * base["edit"],
                     "not measured" if not (found and base) else
                     f"{bench.fmt_s(found['edit'])} against {bench.fmt_s(base['edit'])} "
                     f"({found['edit'] / base['edit']:.2f}x)")
    found = figures.get(33)
    bench.target("cold edition at 33 locales <= 5x cold at 4",
                 None if not (found and base) else found["cold"] <= 5 * base["cold"],
                 "not measured" if not (found and base) else
                 f"{bench.fmt_s(found['cold'])} against {bench.fmt_s(base['cold'])} "
                 f"({found['cold'] / base['cold']:.2f}x)")
    found = figures.get(100)
    bench.target("peak memory at 100 locales < 1 GiB",
                 None if not found else found["peak"] < 1024,
                 "not measured (--quick)" if not found else f"{found['peak']:.0f} MiB")
    bench.target("one-message edit rebuilds only that locale's products, at every size",
                 all(f["only_own"] for f in figures.values()) if figures else None,
                 ", ".join(f"{size}: {'yes' if f['only_own'] else 'no'}"
                           for size, f in figures.items()))
