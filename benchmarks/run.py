#!/usr/bin/env python3
"""memorial-kit against its peers: one command, its own inputs, medians and ratios.

    python3 benchmarks/run.py [--quick] [--runs N] [--babel-timeout S] [--only 1,2,3,4,5]

Sections (each prints its table as soon as it is done):

1. catalog operations on a synthetic catalog (10,000 messages; 2,000 with
   --quick): update (kit merge vs GNU msgmerge vs pybabel update, msgmerge -N
   as the floor) with the precision and recall of the fuzzy matches against
   the known origin of every edited message; compile (kit write_mo vs msgfmt
   vs pybabel compile); parse (kit read_po vs babel vs polib);
2. the edition build of a copy of this workspace: cold serial, cold
   parallel, rebuild with nothing changed, rebuild after one msgstr changed;
3. the peer pipeline for the same article and locales: Sphinx + sphinx-intl
   to HTML, then WeasyPrint to PDF (skipped when sphinx is not installed);
4. 1,000 bilingual exhibit labels (100 with --quick) to PDF sheets: time and
   peak memory in a clean subprocess;
5. serve: from a .po saved to its new text in the served HTML;
6. the edition at 4, 33 and 100 locales (4 and 33 with --quick), stand-in
   translations: cold, no change, one msgstr edited, and peak memory, as whole
   processes (benchmarks/scale.py).

Then every target is printed with PASS, MISS or N/A (not measured, or not at the
target's size).  Inputs are generated from a fixed seed, in a temporary folder
that is removed at the end (--keep keeps it).
The script exits 0 whatever the figures; it exits 2 only on bad arguments.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parent.parent
# The kit's code is copied once at the start and every measurement (this process and
# its workers) runs that copy: edits made to the working tree meanwhile change nothing.
SNAPSHOT_VAR = "MEMORIAL_KIT_BENCH_CODE"
sys.path.insert(0, os.environ.get(SNAPSHOT_VAR) or str(ROOT))

import scale  # noqa: E402  (benchmarks/scale.py, beside this script)

PY = sys.executable
SEED = 20240601
LOCALE = "de"                  # the synthetic catalog's language (nplurals=2, as every tool agrees)
SLOW = 20.0                    # a measurement slower than this is not repeated


# ==========================================================================
# Timing and tables
# ==========================================================================
def median(values):
    return statistics.median(values) if values else None


def repeat(fn, runs: int, slow: float = SLOW):
    """Call fn() up to ``runs`` times; the times and the last result."""
    times, result = [], None
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if times[-1] > slow:
            break
    return times, result


@dataclass
class ProcResult:
    seconds: float | None          # None: timed out
    returncode: int | None
    stdout: str = ""
    stderr: str = ""


def run_proc(cmd, timeout=None, cwd=None, env=None) -> ProcResult:
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return ProcResult(None, None)
    return ProcResult(time.perf_counter() - start, done.returncode, done.stdout, done.stderr)


def repeat_proc(cmd, runs, timeout=None, cwd=None, before=None, env=None):
    """Run a whole process up to ``runs`` times: (times, last ProcResult); a time-out stops."""
    times, last = [], None
    for _ in range(max(1, runs)):
        if before:
            before()
        last = run_proc(cmd, timeout, cwd, env)
        if last.seconds is None:
            break
        if last.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({last.returncode}):\n"
                               f"{last.stderr[-2000:]}")
        times.append(last.seconds)
        if last.seconds > SLOW:
            break
    return times, last


def repeat_procs_in_turn(cmds: list, runs: int) -> list[list[float]]:
    """Short whole processes (each well under SLOW) run in turn, run after run, so that
    a ratio between them compares runs seconds apart, whatever the VM does meanwhile:
    each command's times."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(max(1, runs)):
        for command, found in zip(cmds, times):
            done = run_proc(command)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(map(str, command))} failed ({done.returncode}):\n"
                                   f"{done.stderr[-2000:]}")
            found.append(done.seconds)
    return times


def fmt_s(value) -> str:
    if value is None:
        return "-"
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"


def fmt_ratio(kit, peer) -> str:
    if kit is None or peer is None or peer == 0:
        return "-"
    ratio = kit / peer
    return f"{ratio:.3f}" if ratio < 0.1 else f"{ratio:.2f}"


class Table:
    def __init__(self, title: str, columns: list[str]):
        self.title, self.columns, self.rows, self.notes = title, columns, [], []

    def add(self, *cells):
        self.rows.append([("" if c is None else str(c)) for c in cells])

    def note(self, text: str):
        self.notes.append(text)

    def render(self) -> str:
        widths = [max(len(c) for c in col) for col in zip(self.columns, *self.rows)]
        line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
        out = [f"### {self.title}", "", line(self.columns),
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(r) for r in self.rows]
        if self.notes:
            out.append("")
            out += [f"- {n}" for n in self.notes]
        return "\n".join(out) + "\n"

    def show(self):
        print(self.render(), flush=True)


@dataclass
class Target:
    name: str
    passed: bool | None            # None: could not be measured
    detail: str


TARGETS: list[Target] = []


def target(name, passed, detail):
    TARGETS.append(Target(name, passed, detail))


def judged(at_target_size: bool, passed: bool) -> bool | None:
    """A target set for a size is judged only at that size (not with --quick)."""
    return passed if at_target_size else None


def at_size(size: int, wanted: int, what: str) -> str:
    return "" if size == wanted else f"not judged at {size:,} {what} (the target is for {wanted:,}): "


# ==========================================================================
# Section 1: a synthetic catalog
# ==========================================================================
COMMON = """the of and to a in is it you that he was for on are with as his they be at
one have this from or had by hot word but what some we can out other were all there when
up use your how said an each she which do their time if will way about many then them
write would like so these her long make thing see him two has look more day could go come
did number sound no most people my over know water than call first who may down side been
now find any new work part take get place made live where after back little only round man
year came show every good me give our under name very through just form sentence great
think say help low line differ turn cause much mean before move right boy old too same tell
does set three want air well also play small end put home read hand port large spell add
even land here must big high such follow act why ask men change went light kind off need
house picture try us again animal point mother world near build self earth father head stand
own page should country found answer school grow study still learn plant cover food sun four
between state keep eye never last let thought city tree cross farm hard start might story saw
far sea draw left late run while press close night real life few north open seem together
next white children begin got walk example ease paper group always music those both mark
often letter until mile river car feet care second book carry took science eat room friend
began idea fish mountain stop once base hear horse cut sure watch color face wood main enough
plain girl usual young ready above ever red list though feel talk bird soon body dog family
direct pose leave song measure door product black short numeral class wind question happen
complete ship area half rock order fire south problem piece told knew pass since top whole
king space heard best hour better true during hundred five remember step early hold west
ground interest reach fast verb sing listen six table travel less morning ten simple several
vowel toward war lay against pattern slow center love person money serve appear road map rain
rule govern pull cold notice voice unit power town fine certain fly fall lead cry dark machine
note wait plan figure star box noun field rest correct able pound done beauty drive stood
contain front teach week final gave green oh quick develop ocean warm free minute strong
special mind behind clear tail produce fact street inch multiply nothing course stay wheel
full force blue object decide surface deep moon island foot system busy test record boat
common gold possible plane stead dry wonder laugh thousand ago ran check game shape equate
miss brought heat snow tire bring yes distant fill east paint language among""".split()

SYLLABLES = ("ka ri to ne mi sa lo ve du pa ter con ment ing tion ex pre dis ver al un ble "
             "or an ist ure ous com pro ab sub").split()
CONTEXTS = ["menu", "button", "dialog title", "tooltip", "status bar", "noun", "verb",
            "settings", "error", "help"] + [f"label: item {n}" for n in range(30)]


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class WordSource:
    """Words with a Zipf-like frequency, as in real text."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = vocabulary(rng)
        total, self.cum = 0.0, []
        for rank in range(1, len(self.words) + 1):
            total += 1.0 / rank
            self.cum.append(total)

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cum)[0]

    def sentence(self) -> str:
        words = [self.word() for _ in range(self.rng.randint(5, 30))]
        if len(words) > 8 and self.rng.random() < 0.4:
            words[self.rng.randrange(2, len(words) - 2)] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(".....?:")


@dataclass
class Msg:
    msgid: str
    msgctxt: str | None = None
    plural: str | None = None
    ref: str = ""

    @property
    def key(self):
        return (self.msgctxt, self.msgid)


@dataclass
class Corpus:
    old: list[Msg]
    new: list[Msg]
    truth: dict = field(default_factory=dict)      # new msgid -> old msgid it was edited from
    removed: int = 0
    added: int = 0


def pluralize(sentence: str) -> str:
    words = sentence.split(" ")
    index = min(2, len(words) - 1)
    words[index] = words[index].rstrip(",.?:") + "s" + words[index][len(words[index].rstrip(",.?:")):]
    return " ".join(words)


def make_corpus(n: int, seed: int = SEED) -> Corpus:
    rng = random.Random(seed)
    source = WordSource(rng)
    old, ids = [], set()
    while len(old) < n:
        msgid = source.sentence()
        if msgid in ids:
            continue
        ids.add(msgid)
        roll = rng.random()
        ctxt = rng.choice(CONTEXTS) if roll < 0.10 else None
        plural = pluralize(msgid) if 0.10 <= roll < 0.15 else None
        old.append(Msg(msgid, ctxt, plural, f"src/module{rng.randrange(200)}.py:{rng.randrange(1, 900)}"))
    order = list(range(n))
    rng.shuffle(order)
    n_edit, n_remove, n_add = round(n * 0.05), round(n * 0.02), round(n * 0.03)
    edited = set(order[:n_edit])
    removed = set(order[n_edit:n_edit + n_remove])
    corpus = Corpus(old, [], removed=n_remove, added=n_add)
    new = []
    for number, msg in enumerate(old):
        if number in removed:
            continue
        if number in edited:
            text = edit(msg.msgid, source, rng, ids)
            ids.add(text)
            corpus.truth[text] = msg.msgid
            new.append(Msg(text, msg.msgctxt, pluralize(text) if msg.plural else None, msg.ref))
        else:
            new.append(msg)
    for _ in range(n_add):
        while True:
            text = source.sentence()
            if text not in ids:
                break
        ids.add(text)
        new.insert(rng.randrange(len(new) + 1),
                   Msg(text, None, None, f"src/module{rng.randrange(200)}.py:{rng.randrange(1, 900)}"))
    corpus.new = new
    return corpus


def edit(text: str, source: WordSource, rng: random.Random, taken: set) -> str:
    """One or two words changed, inserted or deleted."""
    while True:
        words = text.split(" ")
        for _ in range(rng.choice((1, 1, 2))):
            op = rng.choice(("change", "insert", "delete"))
            if op == "delete" and len(words) > 5:
                del words[rng.randrange(1, len(words))]
            elif op == "insert":
                words.insert(rng.randrange(1, len(words) + 1), source.word())
            else:
                index = rng.randrange(1, len(words))
                tail = words[index][len(words[index].rstrip(",.?:")):]
                words[index] = source.word() + tail
        candidate = " ".join(words)
        if candidate != text and candidate not in taken:
            return candidate


def translate(text: str) -> str:
    """The synthetic "translation": the words in reverse order."""
    return " ".join(reversed(text.split(" ")))


def catalog_files(corpus: Corpus, folder: Path) -> tuple[Path, Path]:
    """old.po (every message translated) and new.pot, written by the kit's GNU-exact writer."""
    from memorial_kit import po as pofile
    header = pofile.Entry("", msgstr=(
        "Project-Id-Version: bench 1.0\nReport-Msgid-Bugs-To: \n"
        "POT-Creation-Date: 2024-01-01 00:00+0000\nPO-Revision-Date: 2024-01-02 00:00+0000\n"
        "Last-Translator: Bench <bench@example.org>\nLanguage-Team: German\n"
        f"Language: {LOCALE}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n != 1);\n"))
    entries = []
    for msg in corpus.old:
        entry = pofile.Entry(msg.msgid, msgctxt=msg.msgctxt, msgid_plural=msg.plural,
                             references=[msg.ref])
        if msg.plural:
            entry.msgstr_plural = [translate(msg.msgid), translate(msg.plural)]
        else:
            entry.msgstr = translate(msg.msgid)
        entries.append(entry)
    old_po = folder / "old.po"
    old_po.write_bytes(pofile.write_po(pofile.PoFile(entries=entries, header=header)))
    pot_header = pofile.Entry("", flags=["fuzzy"], msgstr=(
        "Project-Id-Version: bench 1.0\nReport-Msgid-Bugs-To: \n"
        "POT-Creation-Date: 2024-02-01 00:00+0000\nPO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
        "Last-Translator: FULL NAME <EMAIL@ADDRESS>\nLanguage-Team: LANGUAGE <LL@li.org>\n"
        "Language: \nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n != 1);\n"))
    pot_entries = [pofile.Entry(m.msgid, msgctxt=m.msgctxt, msgid_plural=m.plural,
                                msgstr_plural=["", ""] if m.plural else [], references=[m.ref])
                   for m in corpus.new]
    new_pot = folder / "new.pot"
    new_pot.write_bytes(pofile.write_po(pofile.PoFile(entries=pot_entries, header=pot_header)))
    return old_po, new_pot


@dataclass
class Quality:
    fuzzy: int
    correct: int
    edited: int
    kept: int = 0

    @property
    def precision(self):
        return self.correct / self.fuzzy if self.fuzzy else None

    @property
    def recall(self):
        return self.correct / self.edited if self.edited else None


def quality_of(path: Path, corpus: Corpus) -> Quality:
    """Fuzzy entries of a merged catalog against the ground truth (from its #| msgid)."""
    from memorial_kit import po as pofile
    try:
        merged = pofile.read_po(path.read_bytes(), str(path))
        entries = [(e.msgid, e.fuzzy, e.previous_msgid, e.obsolete, e.translated)
                   for e in merged.entries]
    except Exception:           # fall back to Babel's reader for a file ours refuses
        from babel.messages.pofile import read_po as babel_read
        with open(path, "rb") as handle:
            catalog = babel_read(handle)
        entries = []
        for m in catalog:
            if not m.id:
                continue
            msgid = m.id[0] if isinstance(m.id, (list, tuple)) else m.id
            prev = m.previous_id[0] if m.previous_id else None
            entries.append((msgid, m.fuzzy, prev, False, bool(m.string) and not m.fuzzy))
        entries += [(m.id, False, None, True, False) for m in catalog.obsolete.values()]
    fuzzy = correct = kept = 0
    for msgid, is_fuzzy, previous, obsolete, translated in entries:
        if obsolete:
            continue
        if is_fuzzy and previous is not None:
            fuzzy += 1
            if corpus.truth.get(msgid) == previous:
                correct += 1
        elif translated:
            kept += 1
    return Quality(fuzzy, correct, len(corpus.truth), kept)


KIT_MERGE_SCRIPT = """\
import sys
from pathlib import Path
from memorial_kit import merge, po
old = po.read_po(Path(sys.argv[1]).read_bytes(), sys.argv[1])
pot = po.read_po(Path(sys.argv[2]).read_bytes(), sys.argv[2])
merged, counts = merge.merge(old, pot, sys.argv[4])
Path(sys.argv[3]).write_bytes(po.write_po(merged))
"""

KIT_COMPILE_SCRIPT = """\
import sys
from pathlib import Path
from memorial_kit import po
catalog = po.read_po(Path(sys.argv[1]).read_bytes(), sys.argv[1])
Path(sys.argv[2]).write_bytes(po.write_mo(catalog))
"""


def section_catalogs(args, tmp: Path) -> list[Table]:
    from memorial_kit import merge, po as pofile
    n = 2000 if args.quick else args.messages
    folder = tmp / "catalogs"
    folder.mkdir()
    start = time.perf_counter()
    corpus = make_corpus(n)
    old_po, new_pot = catalog_files(corpus, folder)
    made = time.perf_counter() - start
    print(f"[1] {n} messages ({sum(1 for m in corpus.old if m.msgctxt)} with msgctxt, "
          f"{sum(1 for m in corpus.old if m.plural)} plural), new template: {len(corpus.truth)} "
          f"edited, {corpus.removed} removed, {corpus.added} added; made in {made:.1f} s",
          flush=True)
    runs = args.runs
    tables = []

    # ---- update -------------------------------------------------------------
    update = Table(f"1a. update: {n}-message catalog, {len(corpus.truth)} edited messages",
                   ["tool", "how", "median", "runs", "kit/peer", "fuzzy", "precision", "recall",
                    "kept"])
    old_bytes, pot_bytes = old_po.read_bytes(), new_pot.read_bytes()
    old_cat = pofile.read_po(old_bytes, str(old_po))
    pot_cat = pofile.read_po(pot_bytes, str(new_pot))
    merge_times, (merged, counts) = repeat(lambda: merge.merge(old_cat, pot_cat, LOCALE), runs)

    def full_merge():
        o = pofile.read_po(old_bytes, str(old_po))
        t = pofile.read_po(pot_bytes, str(new_pot))
        m, _ = merge.merge(o, t, LOCALE)
        (folder / "kit.po").write_bytes(pofile.write_po(m))
    full_times, _ = repeat(full_merge, runs)
    kit_quality = quality_of(folder / "kit.po", corpus)
    proc_times, _ = repeat_proc([PY, "-c", KIT_MERGE_SCRIPT, old_po, new_pot,
                                 folder / "kit-proc.po", LOCALE], runs)
    kit_proc = median(proc_times)

    mm_times, mm = repeat_proc(["msgmerge", "--quiet", "--previous", "-o", folder / "msgmerge.po",
                                old_po, new_pot], runs)
    mm_quality = quality_of(folder / "msgmerge.po", corpus)
    floor_times, _ = repeat_proc(["msgmerge", "--quiet", "--previous", "-N", "-o",
                                  folder / "msgmerge-N.po", old_po, new_pot], runs)
    babel_out = folder / "babel.po"
    babel_times, babel = repeat_proc(
        ["pybabel", "-q", "update", "-i", new_pot, "-o", babel_out, "-l", LOCALE, "--previous"],
        runs, timeout=args.babel_timeout, before=lambda: shutil.copy(old_po, babel_out))
    babel_done = babel.seconds is not None
    babel_quality = quality_of(babel_out, corpus) if babel_done else None

    mm_med = median(mm_times)

    def qcells(q):
        if q is None:
            return ["-", "-", "-", "-"]
        pct = lambda v: "-" if v is None else f"{100 * v:.1f} %"  # noqa: E731
        return [q.fuzzy, pct(q.precision), pct(q.recall), q.kept]
    update.add("memorial-kit", "merge() only, in-process", fmt_s(median(merge_times)),
               len(merge_times), fmt_ratio(median(merge_times), mm_med), *qcells(kit_quality))
    update.add("memorial-kit", "read+merge+write, in-process", fmt_s(median(full_times)),
               len(full_times), fmt_ratio(median(full_times), mm_med), "", "", "", "")
    update.add("memorial-kit", "whole process (python -c)", fmt_s(kit_proc), len(proc_times),
               fmt_ratio(kit_proc, mm_med), "", "", "", "")
    update.add("GNU msgmerge 0.21", "whole process, fuzzy", fmt_s(mm_med), len(mm_times), "1.00",
               *qcells(mm_quality))
    if babel_done:
        update.add("pybabel update", "whole process, --previous", fmt_s(median(babel_times)),
                   len(babel_times), fmt_ratio(kit_proc, median(babel_times)),
                   *qcells(babel_quality))
    else:
        update.add("pybabel update", "whole process, --previous",
                   f"did not finish in {args.babel_timeout:g} s", 0,
                   f"< {kit_proc / args.babel_timeout:.3f}", "-", "-", "-", "-")
    update.add("GNU msgmerge -N", "whole process, no fuzzy (floor)", fmt_s(median(floor_times)),
               len(floor_times), fmt_ratio(kit_proc, median(floor_times)), "0", "-", "-", "")
    update.note("kit/peer: the kit's time on that row over the peer's (msgmerge's for the kit "
                "rows; the kit's whole process for the peer rows); below 1 the kit is faster.")
    update.note("precision = correct fuzzy matches / fuzzy matches made; recall = correct fuzzy "
                "matches / edited messages; a match is correct when its '#| msgid' is the "
                "message the edited one was made from. kept = exact matches carried over.")
    update.note(f"kit merge counts: {counts}")
    update.show()
    tables.append(update)
    speedup = mm_med / kit_proc if kit_proc and mm_med else None
    quality_ok = (kit_quality.precision or 0) >= (mm_quality.precision or 0) \
        and (kit_quality.recall or 0) >= (mm_quality.recall or 0)
    target("update >= 20x faster than msgmerge, precision and recall >= msgmerge's",
           judged(n == 10_000, bool(speedup and speedup >= 20 and quality_ok)),
           at_size(n, 10_000, "messages")
           + f"whole process {speedup:.1f}x faster (in-process read+merge+write "
           f"{mm_med / median(full_times):.1f}x); precision {kit_quality.precision:.3f} vs "
           f"{mm_quality.precision or 0:.3f}, recall {kit_quality.recall:.3f} vs "
           f"{mm_quality.recall or 0:.3f}")

    # ---- compile ------------------------------------------------------------
    comp = Table(f"1b. compile: {n}-message catalog to .mo", ["tool", "how", "median", "runs",
                                                                "kit/peer"])
    mo_times, _ = repeat(lambda: pofile.write_mo(old_cat), runs)

    def kit_compile():
        catalog = pofile.read_po(old_po.read_bytes(), str(old_po))
        (folder / "kit.mo").write_bytes(pofile.write_mo(catalog))
    kc_times, _ = repeat(kit_compile, runs)
    # the two whole processes in turn, five runs at least: each takes a few tenths of a second
    kcp_times, fmt_times = repeat_procs_in_turn(
        [[PY, "-c", KIT_COMPILE_SCRIPT, old_po, folder / "kit-proc.mo"],
         ["msgfmt", "-o", folder / "msgfmt.mo", old_po]], max(runs, 5))
    bc_times, bc = repeat_proc(["pybabel", "-q", "compile", "-i", old_po, "-o",
                                folder / "babel.mo", "-l", LOCALE], runs, timeout=args.babel_timeout)
    msgfmt_med = median(fmt_times)
    comp.add("memorial-kit", "write_mo() only, in-process", fmt_s(median(mo_times)), len(mo_times),
             fmt_ratio(median(mo_times), msgfmt_med))
    comp.add("memorial-kit", "read_po+write_mo+write, in-process", fmt_s(median(kc_times)),
             len(kc_times), fmt_ratio(median(kc_times), msgfmt_med))
    comp.add("memorial-kit", "whole process (python -c)", fmt_s(median(kcp_times)),
             len(kcp_times), fmt_ratio(median(kcp_times), msgfmt_med))
    comp.add("GNU msgfmt 0.21", "whole process", fmt_s(msgfmt_med), len(fmt_times), "1.00")
    comp.add("pybabel compile", "whole process",
             fmt_s(median(bc_times)) if bc_times else "did not finish", len(bc_times),
             fmt_ratio(median(kcp_times), median(bc_times)))
    same = (folder / "kit.mo").read_bytes() == (folder / "msgfmt.mo").read_bytes()
    comp.note(f"the kit's .mo is {'byte-identical to' if same else 'different from'} msgfmt's.")
    comp.note("kit/peer as above: kit rows over msgfmt; the pybabel row is the kit's whole "
              "process over pybabel's.")
    comp.show()
    tables.append(comp)
    kc, kcp = median(kc_times), median(kcp_times)
    target("compile <= 2x msgfmt", judged(n == 10_000, kcp <= 2 * msgfmt_med),
           at_size(n, 10_000, "messages")
           + f"whole process {kcp / msgfmt_med:.2f}x msgfmt (Python start-up and imports "
           f"included); in-process read+compile {kc / msgfmt_med:.2f}x")

    # ---- parse ---------------------------------------------------------------
    parse = Table(f"1c. parse: {n}-message .po ({old_po.stat().st_size // 1024} KiB)",
                  ["reader", "median", "runs", "kit/peer"])
    kp_times, _ = repeat(lambda: pofile.read_po(old_po.read_bytes(), str(old_po)), runs)
    from babel.messages.pofile import read_po as babel_read

    def babel_parse():
        with open(old_po, "rb") as handle:
            return babel_read(handle)
    bp_times, _ = repeat(babel_parse, runs)
    kit_med = median(kp_times)
    parse.add("memorial_kit.po.read_po", fmt_s(kit_med), len(kp_times), "1.00")
    parse.add("babel.messages.pofile.read_po", fmt_s(median(bp_times)), len(bp_times),
              fmt_ratio(kit_med, median(bp_times)))
    try:
        import polib
        pp_times, _ = repeat(lambda: polib.pofile(str(old_po)), runs)
        parse.add(f"polib.pofile ({polib.__version__})", fmt_s(median(pp_times)), len(pp_times),
                  fmt_ratio(kit_med, median(pp_times)))
    except ImportError:
        parse.add("polib", "not installed", 0, "-")
    parse.note("in-process, file already in the page cache.")
    parse.show()
    tables.append(parse)
    return tables


# ==========================================================================
# Workspaces
# ==========================================================================
def copy_workspace(target_dir: Path) -> Path:
    target_dir.mkdir(parents=True)
    for name in ("seeds", "templates", "locales"):
        shutil.copytree(ROOT / name, target_dir / name,
                        ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    return target_dir


def complete_catalogs(root: Path) -> dict:
    """Fill what the copy's catalogs lack so that every job can build.

    Carved inscriptions get the carved text from the manifest (the build refuses
    anything else); every other untranslated message gets its English text,
    which keeps placeholders and is as long as the source.  Returns counts.
    """
    from memorial_kit import catalogs, inscriptions, merge, po as pofile
    from memorial_kit.workspace import Workspace
    ws = Workspace(root)
    filled = {}
    for memorial in ws.memorials():
        carved = {(c.locale, *c.key): c.text for c in inscriptions.carvings([memorial])}
        for domain in catalogs.domains(ws, [memorial]):
            pot = catalogs.read_pot(ws, domain.name) if ws.pot_path(domain.name).exists() else None
            for code in domain.locales:
                path = ws.po_path(code, domain.name)
                if not path.exists():
                    if pot is None:
                        continue
                    po = merge._new_po(pot, domain, code, None)
                else:
                    po = pofile.read_po(path.read_bytes(), str(path))
                if pot is not None:     # messages the template has and the catalog lacks
                    po, _ = merge.merge(po, pot, code)
                nplurals = catalogs.nplurals_of(po, code)
                count = 0
                for entry in po.entries:
                    if entry.obsolete:
                        continue
                    want = carved.get((code, entry.msgctxt, entry.msgid))
                    if want is not None and entry.msgstr != want:
                        entry.msgstr, count = want, count + 1
                    elif not entry.translated:
                        entry.fuzzy = False
                        if entry.msgid_plural:
                            entry.msgstr_plural = [entry.msgid] + [entry.msgid_plural] * (nplurals - 1)
                        else:
                            entry.msgstr = entry.msgid
                        count += 1
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(pofile.write_po(po))
                filled[f"{code}/{domain.name}"] = (count, sum(1 for e in po.entries if not e.obsolete))
    return filled


# ==========================================================================
# Workers (run in their own process for clean timings and memory figures)
# ==========================================================================
def worker_build(root: str, mode: str, extra: str = "") -> None:
    from memorial_kit.build import BuildRequest, run_build
    from memorial_kit.workspace import Workspace
    from memorial_kit import quickload
    quickload.allow()                       # as the memorial-kit command does
    ws = Workspace(Path(root))
    options = json.loads(extra) if extra else {}
    if options.pop("preimport", False):     # WeasyPrint loaded before the clock starts
        from memorial_kit import printing, render  # noqa: F401
    request = BuildRequest(parallel=mode != "serial", force=options.pop("force", False), **options)
    start = time.perf_counter()
    report = run_build(ws, request)
    seconds = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_kb, child_kb = me.ru_maxrss, children.ru_maxrss
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    import memorial_kit
    print(json.dumps({"seconds": seconds, "maxrss_kb": max(self_kb, child_kb),
                      "code": memorial_kit.__file__, "cpu": cpu,
                      "results": [{"job": r.job, "status": r.status, "reason": r.reason,
                                   "pages": r.pages} for r in report.results]}))


def build_in_subprocess(root: Path, mode: str, **options) -> tuple[float, dict]:
    proc = run_proc([PY, str(SCRIPT), "_build", str(root), mode, json.dumps(options)])
    if proc.returncode != 0:
        raise RuntimeError(f"build worker failed:\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    snapshot = os.environ.get(SNAPSHOT_VAR)
    if snapshot and not data["code"].startswith(snapshot):
        raise RuntimeError(f"the worker ran {data['code']}, not the snapshot in {snapshot}")
    return proc.seconds, data


def statuses(data: dict) -> dict:
    out = {}
    for r in data["results"]:
        out[r["status"]] = out.get(r["status"], 0) + 1
    return out


def status_text(data: dict) -> str:
    return ", ".join(f"{n} {s}" for s, n in sorted(statuses(data).items()))


def clean_outputs(root: Path) -> None:
    shutil.rmtree(root / "dist", ignore_errors=True)
    shutil.rmtree(root / ".memorial-kit" / "build", ignore_errors=True)


# ==========================================================================
# Section 2: the edition build
# ==========================================================================
def section_build(args, tmp: Path) -> tuple[list[Table], dict]:
    runs = args.runs
    root = copy_workspace(tmp / "build-ws")
    table = Table("2. edition build of this workspace (every product and locale, html+pdf+png)",
                  ["step", "median", "runs", "process wall", "process CPU", "jobs", "note"])
    _, as_is = build_in_subprocess(root, "serial", force=True)
    problems = [r for r in as_is["results"] if r["status"] != "built"]
    fill_note = "catalogs as in the project"
    if problems:
        print(f"[2] the project's catalogs as they are: {status_text(as_is)}", flush=True)
        reasons = {}
        for r in problems:
            reason = f"{r['status']}: {r['reason'].split(' (hint')[0][:110]}"
            reasons.setdefault(reason, []).append(r["job"].split("/", 1)[1])
        for reason, jobs in reasons.items():
            print(f"      {', '.join(jobs)}: {reason}", flush=True)
        why = "; ".join(f"{', '.join(j)}: {r}" for r, j in reasons.items())
        filled = complete_catalogs(root)
        done = {k: v for k, v in filled.items() if v[0]}
        fill_note = ("untranslated messages filled for the benchmark: " +
                     ", ".join(f"{k} {c}/{t}" for k, (c, t) in sorted(done.items())))
        table.note(f"as in the project the build gives {status_text(as_is)} "
                   f"({why}); so the copy's {fill_note} (English text, and the "
                   "carved text for inscriptions), and every job builds.")
    clean_outputs(root)
    _, check = build_in_subprocess(root, "serial", force=True)
    failed = [r for r in check["results"] if r["status"] != "built"]
    if failed:
        table.note("jobs that do not build even so: " +
                   "; ".join(f"{r['job']}: {r['status']} {r['reason'][:80]}" for r in failed))
    jobs = len(check["results"])
    # The same edition as it was before the press and archive editions: their switches off.
    before = tmp / "build-ws-before-editions"
    clean_outputs(root)
    shutil.copytree(root, before)
    manifest = next(before.glob("seeds/*/memorial.toml"))
    manifest.write_text(manifest.read_text("utf-8").replace(
        "[print]\n", "[print]\npress = false\narchive = false\naccessible = false\n", 1), "utf-8")

    def cold(variants):
        """Cold builds, the variants interleaved run by run (the machine's load drifts)."""
        found = {name: ([], [], None) for name, *_ in variants}
        for _ in range(runs):
            for name, mode, options, *where in variants:
                where = where[0] if where else root
                clean_outputs(where)
                wall, last = build_in_subprocess(where, mode, force=True, **options)
                inner, walls, _ = found[name]
                inner.append(last["seconds"])
                walls.append(wall)
                cpu.setdefault(name, []).append(last["cpu"])
                found[name] = (inner, walls, last)
        return found
    cpu: dict[str, list[float]] = {}
    measured = cold([("serial", "serial", {}), ("parallel", "parallel", {}),
                     ("pre-serial", "serial", {"preimport": True}),
                     ("pre-parallel", "parallel", {"preimport": True}),
                     ("before-parallel", "parallel", {}, before)])
    serial, serial_wall, s_last = measured["serial"]
    parallel, parallel_wall, p_last = measured["parallel"]
    pre_serial, pre_parallel = measured["pre-serial"][0], measured["pre-parallel"][0]
    table.add("cold, serial (parallel=False, force=True)", fmt_s(median(serial)), len(serial),
              fmt_s(median(serial_wall)), fmt_s(median(cpu["serial"])), status_text(s_last),
              "run_build() time in a fresh process")
    table.add(f"cold, parallel ({os.cpu_count()} cores)", fmt_s(median(parallel)), len(parallel),
              fmt_s(median(parallel_wall)), fmt_s(median(cpu["parallel"])), status_text(p_last),
              f"{median(serial) / median(parallel):.2f}x the serial speed")
    before_parallel, before_wall, b_last = measured["before-parallel"]
    table.add("cold, parallel, without the press and archive editions", fmt_s(median(before_parallel)),
              len(before_parallel), fmt_s(median(before_wall)), fmt_s(median(cpu["before-parallel"])),
              status_text(b_last), "[print] press, archive, accessible = false: the edition "
              f"as before them; with them: {median(parallel) / median(before_parallel):.2f}x")
    table.add("cold, serial, WeasyPrint imported before timing", fmt_s(median(pre_serial)),
              len(pre_serial), "", fmt_s(median(cpu["pre-serial"])), "", "what the import costs: "
              f"{fmt_s(median(serial) - median(pre_serial))}")
    table.add("cold, parallel, WeasyPrint imported before the fork", fmt_s(median(pre_parallel)),
              len(pre_parallel), "", fmt_s(median(cpu["pre-parallel"])), "",
              f"{median(pre_serial) / median(pre_parallel):.2f}x the serial speed")
    # nothing changed: the default request (parallel, incremental), and the CLI as a user runs it
    nochange, nochange_wall, n_last = [], [], None
    for _ in range(runs):
        wall, n_last = build_in_subprocess(root, "parallel")
        nochange.append(n_last["seconds"])
        nochange_wall.append(wall)
    cli_times, _ = repeat_proc([PY, "-m", "memorial_kit", "--root", str(root), "-q", "build"], runs)
    nochange_serial, nochange_pre = [], []
    for _ in range(runs):
        nochange_serial.append(build_in_subprocess(root, "serial")[1]["seconds"])
        nochange_pre.append(build_in_subprocess(root, "serial", preimport=True)[1]["seconds"])
    table.add("no change, parallel (default request)", fmt_s(median(nochange)), len(nochange),
              fmt_s(median(nochange_wall)), "", status_text(n_last),
              f"{100 * median(nochange) / median(serial):.1f} % of cold serial")
    table.add("no change, serial", fmt_s(median(nochange_serial)), len(nochange_serial), "", "",
              "", "")
    table.add("no change, serial, WeasyPrint imported before timing", fmt_s(median(nochange_pre)),
              len(nochange_pre), "", "", "", "hashing, records, index page only")
    table.add("no change, `memorial-kit build` CLI", fmt_s(median(cli_times)), len(cli_times),
              fmt_s(median(cli_times)), "", "", "whole process: start-up, imports, hashing")
    # one msgstr changed in one locale (a carved language and one that is not, if any)
    results_one = []
    for locale, path in changed_locales(root):
        one_times, one_wall, each_run, one_last = [], [], [], None
        for number in range(runs):
            change_one_msgstr(path, number)
            wall, one_last = build_in_subprocess(root, "parallel")
            one_times.append(one_last["seconds"])
            one_wall.append(wall)
            each_run.append(sorted(r["job"] for r in one_last["results"] if r["status"] == "built"))
        expected = sorted(r["job"] for r in check["results"]
                          if locale in r["job"].split("/")[-1].split("-"))
        # every run, not just the last, rebuilt exactly that locale's jobs
        rebuilt = next((run for run in each_run if run != expected), each_run[-1])
        only_that = all(run == expected for run in each_run)
        results_one.append((locale, rebuilt, expected, only_that))
        table.add(f"one msgstr changed in {locale}", fmt_s(median(one_times)), len(one_times),
                  fmt_s(median(one_wall)), "", status_text(one_last),
                  f"rebuilt: {', '.join(j.split('/', 1)[1] for j in rebuilt) or 'nothing'}")
    table.note(f"{jobs} jobs: leaflet and plaque per locale, labels per language pair, and "
               "their editions: press files of plaques and labels, archive copies of leaflets. "
               "process CPU: user+system seconds of the worker and its children (the pool's "
               "workers), which the machine's load does not inflate as it does wall time.")
    for locale, rebuilt, expected, only_that in results_one:
        table.note(f"after one {locale} msgstr changed, the jobs of {locale} are "
                   f"{', '.join(j.split('/', 1)[1] for j in expected)}; "
                   + ("only those were rebuilt." if only_that else
                      f"{len(rebuilt)} jobs were rebuilt instead of {len(expected)}."))
    table.show()
    nc, cs, cp = median(nochange), median(serial), median(parallel)
    target("no-change rebuild <= 0.5 s and <= 10 % of cold", nc <= 0.5 and nc <= 0.1 * cs,
           f"{fmt_s(nc)} in-process = {100 * nc / cs:.1f} % of cold serial "
           f"({fmt_s(median(cli_times))} as a whole CLI process)")
    cb = median(before_parallel)
    target("cold edition with the press, archive and PDF/UA editions <= 1.5x without them",
           cp <= 1.5 * cb, f"{cp / cb:.2f}x ({fmt_s(cb)} -> {fmt_s(cp)}, parallel; CPU "
           f"{median(cpu['parallel']) / median(cpu['before-parallel']):.2f}x)")
    target("cold parallel >= 1.7x faster than serial", cs / cp >= 1.7,
           f"{cs / cp:.2f}x on {os.cpu_count()} cores ({fmt_s(cs)} -> {fmt_s(cp)})")
    target("one msgstr changed: only that locale's jobs rebuilt",
           all(r[3] for r in results_one) if results_one else None,
           "; ".join(f"{loc}: {len(reb)} rebuilt, {len(exp)} expected"
                     for loc, reb, exp, _ in results_one))
    return [table], {"root": root, "serial": serial, "parallel": parallel,
                     "serial_wall": serial_wall, "parallel_wall": parallel_wall}


def changed_locales(root: Path) -> list[tuple[str, Path]]:
    """A locale carved on a monument (its catalog also feeds every other product's
    inscriptions) and one that is not, when the memorial has them."""
    from memorial_kit.workspace import Workspace
    ws = Workspace(root)
    memorial = ws.memorials()[0]
    carved = {c for m in memorial.monuments for c in m.carved_languages}
    targets_ = [c for c in memorial.locales if c != memorial.source_locale]
    picked = [c for c in (next((c for c in targets_ if c in carved), None),
                          next((c for c in targets_ if c not in carved), None)) if c]
    return [(c, ws.po_path(c, memorial.domain)) for c in picked]


MARK_RE = re.compile(r" \[bench [a-z]+\]$")


def change_one_msgstr(path: Path, number: int) -> None:
    """Change the translation of one paragraph (not an inscription) a little."""
    from memorial_kit import po as pofile
    catalog = pofile.read_po(path.read_bytes(), str(path))
    entry = next(e for e in catalog.entries if e.translated and not e.msgid_plural
                 and not e.msgctxt and len(e.msgid) > 40)
    # a letter, not a number: a number the source does not have is an error the build refuses
    entry.msgstr = MARK_RE.sub("", entry.msgstr) + f" [bench {'abcdefghijklmnopqrstuvwxyz'[number % 26]}]"
    path.write_bytes(pofile.write_po(catalog))


# ==========================================================================
# Section 3: Sphinx + sphinx-intl + WeasyPrint
# ==========================================================================
def rst_escape(text: str) -> str:
    return re.sub(r"([\\*`|_\[\]])", r"\\\1", text)


def rst_heading(text: str, char: str, over: bool = False) -> list[str]:
    rule = char * (len(text) + 2)
    return ([rule] if over else []) + [text, rule, ""]


def article_rst(memorial) -> str:
    article = memorial.article
    lines = rst_heading(rst_escape(article.title), "=", over=True)
    for field_ in article.infobox:
        if field_.key in memorial.infobox_skip:
            continue
        label = memorial.infobox_labels.get(field_.key, field_.key)
        lines += [f":{rst_escape(label)}: {rst_escape(field_.value)}"]
    lines.append("")
    for block in article.lead:
        lines += [rst_escape(block.text), ""]
    for section in article.sections:
        lines += rst_heading(rst_escape(section.heading), "-")
        for block in section.blocks:
            lines += [("- " if block.kind == "item" else "") + rst_escape(block.text), ""]
    return "\n".join(lines) + "\n"


SPHINX_CONF = """\
project = {title!r}
author = {publisher!r}
language = "en"
locale_dirs = ["locales/"]
gettext_compact = False
extensions = []
html_theme = "basic"
html_copy_source = False
html_show_sourcelink = False
html_use_index = False
html_domain_indices = False
html_search_language = None
html_sidebars = {{"**": []}}
"""

WEASY_SCRIPT = """\
import sys
import weasyprint
for html, pdf in zip(sys.argv[1::2], sys.argv[2::2]):
    weasyprint.HTML(filename=html).write_pdf(pdf)
"""


def fill_sphinx_po(po_path: Path, known: dict) -> tuple[int, int]:
    """Translate the Sphinx catalog from the kit's (same msgid), else the English text."""
    from memorial_kit import po as pofile
    catalog = pofile.read_po(po_path.read_bytes(), str(po_path))
    reused = 0
    for entry in catalog.entries:
        text = known.get(entry.msgid)
        if text:
            reused += 1
        entry.msgstr = text or entry.msgid
        entry.fuzzy = False
    po_path.write_bytes(pofile.write_po(catalog))
    return reused, len(catalog.entries)


def section_sphinx(args, tmp: Path, build_info: dict | None) -> list[Table]:
    try:
        import sphinx
        import sphinx_intl  # noqa: F401
    except ImportError:
        print("### 3. Sphinx + sphinx-intl + WeasyPrint\n\nskipped: pip install -e '.[bench]'\n",
              flush=True)
        return []
    from memorial_kit import po as pofile
    from memorial_kit.workspace import Workspace
    root = build_info["root"] if build_info else copy_workspace(tmp / "sphinx-kit-ws")
    if not build_info:
        complete_catalogs(root)
    ws = Workspace(root)
    memorial = ws.memorials()[0]
    locales = list(memorial.locales)
    targets_ = [c for c in locales if c != memorial.source_locale]
    src = tmp / "sphinx" / "src"
    out = tmp / "sphinx" / "build"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(SPHINX_CONF.format(title=memorial.title,
                                                    publisher=memorial.provenance.publisher))
    (src / "index.rst").write_text(article_rst(memorial), "utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    table = Table(f"3. peer pipeline: Sphinx {sphinx.__version__} + sphinx-intl + WeasyPrint, "
                  f"the article in {len(locales)} locales",
                  ["step", "time", "note"])
    steps = {}
    t = run_proc([PY, "-m", "sphinx", "-q", "-b", "gettext", src, out / "gettext"], env=env)
    steps["sphinx-build -b gettext (extract .pot)"] = t
    cmd = ["sphinx-intl", "update", "-p", out / "gettext", "-d", src / "locales"]
    for code in targets_:
        cmd += ["-l", code]
    steps["sphinx-intl update (.po per locale)"] = run_proc(cmd, env=env)
    reused = []
    for code in targets_:
        known = {}
        kit_po = ws.po_path(code, memorial.domain)
        if kit_po.exists():
            known = {e.msgid: e.msgstr for e in pofile.read_po(kit_po.read_bytes()).entries
                     if e.translated and not e.msgid_plural}
        r, total = fill_sphinx_po(src / "locales" / code / "LC_MESSAGES" / "index.po", known)
        reused.append(f"{code} {r}/{total}")
    html_total = 0.0
    for code in locales:
        p = run_proc([PY, "-m", "sphinx", "-q", "-b", "html", "-D", f"language={code}", src,
                      out / "html" / code], env=env)
        if p.returncode != 0:
            raise RuntimeError(f"sphinx-build html {code} failed:\n{p.stderr[-2000:]}")
        html_total += p.seconds
    pdf_args = []
    for code in locales:
        pdf_args += [str(out / "html" / code / "index.html"), str(out / f"{code}.pdf")]
    weasy = run_proc([PY, "-c", WEASY_SCRIPT, *pdf_args], env=env)
    if weasy.returncode != 0:
        raise RuntimeError(f"weasyprint failed:\n{weasy.stderr[-2000:]}")
    for name, p in steps.items():
        if p.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{p.stderr[-2000:]}")
        table.add(name, fmt_s(p.seconds), "whole process")
    table.add(f"sphinx-build -b html, {len(locales)} locales", fmt_s(html_total),
              "one process per locale (compiles the .mo)")
    table.add(f"WeasyPrint HTML -> PDF, {len(locales)} locales", fmt_s(weasy.seconds),
              "one process for all")
    peer_total = sum(p.seconds for p in steps.values()) + html_total + weasy.seconds
    table.add("**peer total** (html + pdf)", fmt_s(peer_total), "")
    # the kit, like for like: leaflets only, html + pdf, every locale
    kit_times = []
    for _ in range(args.runs):
        clean_outputs(root)
        wall, data = build_in_subprocess(root, "serial", force=True, products=["leaflet"],
                                         formats=["html", "pdf"])
        kit_times.append(wall)
    table.add(f"memorial-kit leaflets (html + pdf), {len(locales)} locales, serial",
              fmt_s(median(kit_times)),
              f"whole process, median of {len(kit_times)}; kit/peer {fmt_ratio(median(kit_times), peer_total)}")
    if build_info:
        table.add("memorial-kit full edition (leaflet+plaque+labels, html+pdf+png), serial",
                  fmt_s(median(build_info["serial_wall"])), "whole process, from section 2")
        full = median(build_info["parallel_wall"])
        table.add("memorial-kit full edition, default build (parallel)", fmt_s(full),
                  f"whole process, from section 2; kit/peer {fmt_ratio(full, peer_total)}")
        target("cold full edition <= half the Sphinx + sphinx-intl + WeasyPrint pipeline",
               full <= peer_total / 2,
               f"{fmt_s(full)} for every product in {len(locales)} locales (html, pdf, png) "
               f"against {fmt_s(peer_total)} for the peer's html + pdf of the article")
    pages = sum(_pdf_pages(out / f"{c}.pdf") for c in locales)
    table.note("index.rst is the article (title, infobox as a field list, lead, sections, "
               "paragraphs, list items) written by this script; conf.py uses the 'basic' theme, "
               "no search index, no source links.")
    table.note(f"the Sphinx catalogs were translated with the kit's translations where the "
               f"msgid is the same, else the English text ({', '.join(reused)}); not timed.")
    table.note(f"Sphinx's PDFs: {pages} pages in all. The kit's leaflet is a designed A5 "
               "booklet with a fact box and monument pages; Sphinx's is a plain web page "
               "printed, so the peer does less layout work per locale.")
    table.show()
    return [table]


def _pdf_pages(path: Path) -> int:
    try:
        from memorial_kit.printing import page_count
        return page_count(path.read_bytes())
    except Exception:
        return 0


# ==========================================================================
# Section 4: 1,000 bilingual labels
# ==========================================================================
ITEMS_RE = re.compile(r"^\[\[labels\.items\]\]", re.M)


def toml_value(value) -> str:
    import datetime as dt
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def many_labels(root: Path, count: int, first: int = 1) -> str:
    """Rewrite the copy's manifest with ``count`` labels made from its own, and give the
    primary locale's catalog their translations.  Returns the primary locale."""
    import tomllib
    from memorial_kit import extract, messages, po as pofile
    from memorial_kit.workspace import Workspace
    ws = Workspace(root)
    memorial = ws.memorials()[0]
    manifest = memorial.manifest_path
    text = manifest.read_text("utf-8")
    data = tomllib.loads(text)
    items = data["labels"]["items"]
    items_at = ITEMS_RE.search(text).start()
    rest = re.search(r"^\[(?!\[labels\.items\])(?!labels\.items)", text[items_at:], re.M)
    tail = text[items_at + rest.start():] if rest else ""
    rng = random.Random(SEED)
    made, origin = [], {}
    for number in range(first - 1, first - 1 + count):
        base = items[number % len(items)]
        item = json.loads(json.dumps(base, default=str))   # a deep copy (dates as text)
        item = _restore_dates(item, base)
        item["id"] = f"{base['id']}-{number + 1:04d}"
        # A label that shows a monument's inscriptions is full: only its id differs.
        if not base.get("monument"):
            item["title"] = base["title"] + f" ({number + 1})"
        if base.get("text") and len(base["text"]) < 120 and rng.random() < 0.5:
            item["text"] = base["text"] + f" Exhibit {number + 1}."
        origin[item["id"]] = (base, item)
        made.append(item)
    lines = []
    for item in made:
        lines.append("[[labels.items]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in item.items()]
        lines.append("")
    manifest.write_text(text[:items_at] + "\n".join(lines) + "\n" + tail, "utf-8")
    primary = memorial.label_pairs[0][0]
    memorial = ws.memorials()[0]
    path = ws.po_path(primary, memorial.domain)
    catalog = pofile.read_po(path.read_bytes(), str(path))
    have = {e.key: e for e in catalog.entries if e.translated}
    for message in extract.memorial_messages(memorial):
        if message.key in have:
            continue
        translation = message.msgid
        context = messages.parse(message.msgctxt)
        if context is not None and context.what == messages.LABEL:
            label_id, part = context.ids
            base, item = origin.get(label_id, (None, None))
            if base is not None:
                base_key = (messages.label(base["id"], part), _base_text(base, item, part,
                                                                         message.msgid))
                old = have.get(base_key)
                if old is not None:
                    translation = old.msgstr + message.msgid[len(base_key[1]):]
        catalog.entries.append(pofile.Entry(message.msgid, msgstr=translation,
                                            msgctxt=message.msgctxt))
    path.write_bytes(pofile.write_po(catalog))
    return primary


def _restore_dates(item, base):
    if isinstance(base, dict):
        return {k: _restore_dates(item[k], v) for k, v in base.items()}
    if isinstance(base, list):
        return [_restore_dates(i, b) for i, b in zip(item, base)]
    return base if not isinstance(base, (str, int, float, bool)) else item


def _base_text(base, item, part, msgid) -> str:
    if part == "title":
        return base["title"]
    if part == "text":
        return base.get("text", "")
    return msgid


def section_labels(args, tmp: Path) -> list[Table]:
    count = 100 if args.quick else args.labels
    root = copy_workspace(tmp / "labels-ws")
    complete_catalogs(root)
    primary = many_labels(root, count)
    table = Table(f"4. {count} bilingual labels to PDF sheets (one language pair)",
                  ["step", "median", "runs", "process wall", "peak memory", "note"])
    runs = max(1, min(args.runs, 3))
    measured = {}
    for mode in ("serial", "parallel"):
        times, walls, peaks, last = [], [], [], None
        for _ in range(runs):
            clean_outputs(root)
            wall, last = build_in_subprocess(root, mode, force=True, products=["labels"],
                                             locales=[primary], formats=["pdf"])
            times.append(last["seconds"])
            walls.append(wall)
            peaks.append(last["maxrss_kb"] / 1024)
            if wall > 60:
                break
        result = last["results"][0] if last["results"] else {"status": "none", "pages": 0,
                                                                "reason": ""}
        measured[mode] = (times, peaks, result)
        how = "serial" if mode == "serial" else "default (sheets in chunks on every core)"
        table.add(f"build labels/{primary}-en, pdf, {how}", fmt_s(median(times)), len(times),
                  fmt_s(median(walls)), f"{max(peaks):.0f} MiB",
                  f"{result['status']}, {result['pages']} sheets {result['reason'][:80]}")
    times, peaks, result = measured["parallel"]
    table.note(f"the manifest copy holds {count} labels made from the seed's "
               f"{len(tomllib_items(ROOT))} (numbered titles, except the monument's, whose card is "
               f"full; half of those with a short text get an extra sentence); the "
               f"{primary} catalog got their translations from the originals'.")
    table.note("peak memory: the largest ru_maxrss of the build process and of its worker "
               "processes.")
    table.show()
    ok = result["status"] == "built"
    detail = f"{count} labels: {fmt_s(median(times))}, {max(peaks):.0f} MiB"
    target("1,000 labels < 15 s and < 1 GiB",
           judged(count == 1000, ok and median(times) < 15 and max(peaks) < 1024),
           at_size(count, 1000, "labels") + detail)
    return [table]


# ==========================================================================
# Section 5: serve, from a saved .po to the new text served
# ==========================================================================
def section_serve(args, tmp: Path) -> list[Table]:
    """``memorial-kit serve`` on a copy of the workspace: a msgstr of the leaflet is
    changed and saved, and the served leaflet is read every 10 ms until it holds the new
    text.  Each edit is made once the previous one's PDFs are done (a translator's pace)."""
    import threading
    import urllib.request
    root = copy_workspace(tmp / "serve-ws")
    locale, po = changed_locales(root)[0]
    number = _leaflet_msgstr(po)
    process = subprocess.Popen([PY, "-m", "memorial_kit", "--root", str(root), "serve",
                                "--port", "0", "--locale", locale],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    lines: list[str] = []
    first = process.stdout.readline()
    found = re.search(r"serving (http://\S+/)", first)
    if found is None:
        process.kill()
        raise RuntimeError(f"serve did not start: {first!r} {process.stderr.read()[-2000:]}")
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()

    def settled(count: int, limit: float = 120) -> None:
        deadline = time.monotonic() + limit
        while sum(1 for line in lines if line.startswith("pdf, png: done")) < count:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"serve did not finish its PDFs: {lines[-5:]}")
            time.sleep(0.05)

    url = found.group(1) + _leaflet_page(root, locale)
    times = []
    try:
        settled(1)
        for run in range(max(3, args.runs)):
            # letters only: a number the source lacks is an error the verdict holds back
            marker = "servebench" + "".join(random.Random(run).choice("abcdefghij")
                                            for _ in range(8))
            text = po.read_text("utf-8").splitlines(keepends=True)
            text[number] = re.sub(r'"$', f' {marker}"', text[number].rstrip("\n")) + "\n"
            start = time.perf_counter()
            po.write_text("".join(text), "utf-8")
            while True:
                with urllib.request.urlopen(url, timeout=20) as response:
                    body = response.read().decode("utf-8")
                if marker in body.split('<aside id="mk-serve"')[0]:
                    break
                if time.perf_counter() - start > 30:
                    raise RuntimeError("the edit was not served within 30 s")
                time.sleep(0.01)
            times.append(time.perf_counter() - start)
            settled(run + 2)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    table = Table("serve: a saved .po to the new text served", ["what", "median", "slowest", "runs"])
    table.add(f"one msgstr of the {locale} leaflet", fmt_s(median(times)), fmt_s(max(times)),
              len(times))
    table.note("from the save (the file written) to the first GET of the leaflet that holds the "
               "new text; the watcher, the HTML of the locale's products and the request")
    target("serve: a .po edit visible in the served HTML within 1.5 s",
           median(times) <= 1.5, f"median {fmt_s(median(times))}, slowest {fmt_s(max(times))}")
    table.show()
    return [table]


def _leaflet_msgstr(po: Path) -> int:
    """The 0-based line of a one-line msgstr of the article (printed on the leaflet only)."""
    lines = po.read_text("utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith(("#. Section heading", "#. Paragraph")):
            at = next(n for n in range(index, len(lines)) if lines[n].startswith("msgstr "))
            if lines[at] != 'msgstr ""':
                return at
    raise RuntimeError(f"no one-line msgstr of the article in {po}")


def _leaflet_page(root: Path, locale: str) -> str:
    slug = sorted(p.parent.name for p in (root / "seeds").glob("*/memorial.toml"))[0]
    return f"{slug}/{locale}/leaflet.html"


def tomllib_items(root: Path) -> list:
    import tomllib
    manifest = next((root / "seeds").glob("*/memorial.toml"))
    return tomllib.loads(manifest.read_text("utf-8")).get("labels", {}).get("items", [])


# ==========================================================================
# Main
# ==========================================================================
def machine() -> str:
    import babel
    import weasyprint
    gettext = subprocess.run(["msgmerge", "--version"], capture_output=True, text=True).stdout
    return (f"{platform.node()}: {platform.platform()}, nproc {os.cpu_count()}, "
            f"Python {platform.python_version()}, GNU gettext "
            f"{gettext.split()[3] if gettext else '?'}, Babel {babel.__version__}, "
            f"WeasyPrint {weasyprint.__version__}")


def snapshot_code(folder: Path) -> None:
    """The kit's code as it is now, copied (edits during a run change nothing) and
    byte-compiled, as pip compiles a package it installs: a machine that sets
    PYTHONDONTWRITEBYTECODE would otherwise compile the kit's sources in every process."""
    shutil.copytree(ROOT / "memorial_kit", folder / "memorial_kit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(str(folder / "memorial_kit"), quiet=1)
    os.environ[SNAPSHOT_VAR] = str(folder)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(folder)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    sys.path.insert(0, str(folder))
    assert "memorial_kit" not in sys.modules


def describe_code() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "memorial_kit"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"
    return f"commit {head or '?'}" + (" + uncommitted changes in memorial_kit/" if dirty else "")


def load() -> str:
    """The 1-minute load average: other work on the machine skews every figure."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_build":
        worker_build(*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, one run: about a minute")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per measurement, the median is shown (default 3, 1 with --quick)")
    parser.add_argument("--messages", type=int, default=10_000, help="catalog size (full mode)")
    parser.add_argument("--labels", type=int, default=1000, help="labels (full mode)")
    parser.add_argument("--babel-timeout", type=float, default=None,
                        help="seconds pybabel update may take (default 60, 10 with --quick)")
    parser.add_argument("--only", default="1,2,3,4,5,6", help="sections to run, e.g. 1,4")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 3)
    args.babel_timeout = args.babel_timeout or (10.0 if args.quick else 60.0)
    only = {s.strip() for s in args.only.split(",")}
    print(f"# memorial-kit benchmarks{' (--quick)' if args.quick else ''}\n\n"
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {machine()}; runs {args.runs}; "
          f"load average {load()}\n", flush=True)
    if os.cpu_count() and load() != "?" and float(load()) > os.cpu_count() / 2:
        print(f"warning: the machine is busy (load average {load()} on {os.cpu_count()} cores): "
              "the figures, the parallel ones most, are skewed\n", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="memorial-kit-bench-"))
    snapshot_code(tmp / "code")
    home = os.getcwd()
    os.chdir(tmp)       # no "python -c" or "-m" finds the working tree's memorial_kit first
    print(f"kit code: {describe_code()}, run from a byte-compiled copy\n", flush=True)
    started = time.perf_counter()
    build_info = None
    try:
        for number, section in (("1", lambda: section_catalogs(args, tmp)),
                                ("2", lambda: section_build(args, tmp)),
                                # build_info: section 2's, read when section 3 runs
                                ("3", lambda: section_sphinx(args, tmp, build_info)),  # noqa: B023
                                ("4", lambda: section_labels(args, tmp)),
                                ("5", lambda: section_serve(args, tmp)),
                                ("6", lambda: scale.section_scale(args, tmp, sys.modules[__name__]))):
            if number not in only:
                continue
            try:
                result = section()
                if number == "2":
                    build_info = result[1]
            except Exception as exc:         # one broken section must not hide the others
                import traceback
                traceback.print_exc()
                print(f"### section {number} failed: {type(exc).__name__}: {exc}\n", flush=True)
        print("### Targets\n")
        for t in TARGETS:
            mark = "PASS" if t.passed else ("MISS" if t.passed is not None else "N/A ")
            print(f"- {mark}  {t.name}: {t.detail}")
        print(f"\ntotal {time.perf_counter() - started:.0f} s; load average at the end {load()}"
              + (f"; inputs kept in {tmp}" if args.keep else ""), flush=True)
    finally:
        os.chdir(home)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
