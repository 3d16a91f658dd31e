"""Incremental builds: what an output is made from, and the record of what was made.

A job's inputs (catalogs, templates, fonts, the print geometry, manifest, seed, the kit's own code,
options) are hashed; its record says from which inputs its outputs were made, their
hashes, whether it was built or skipped and why, and the languages its page's switcher
listed.  An output whose inputs and bytes are unchanged is not made again.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__, geometry, pdfstandards, press, translations
from .fsutil import atomic_write
from .kitcode import code_digest
from .memorial import Memorial
from .workspace import TEMPLATE_DOMAIN, Workspace


def records_folder(ws: Workspace, out: Path) -> Path:
    """Where the records of the outputs in ``out`` are (one folder per output folder)."""
    return ws.state / "build" / hashlib.sha256(str(out).encode()).hexdigest()[:12]


def record_path(ws: Workspace, job_name: str, out: Path) -> Path:
    return records_folder(ws, out) / (job_name.replace("/", "__") + ".json")


def inputs_hash(ws: Workspace, memorial: Memorial, job, languages: list[str],
                allow_fallback: bool, hashes: dict | None = None) -> str:
    """Everything an output is made from: catalogs, templates, fonts, seed, options; the
    PDF's document identifier too, so it is not the kit's code (records add that apart).
    (A page's language switcher is not: the build record keeps it apart.)  ``hashes``
    keeps each file's hash for the other jobs of one build; ``languages``: the job's own
    and the carved languages whose text it prints."""
    hashes = {} if hashes is None else hashes
    digest = hashlib.sha256()
    digest.update(f"memorial-kit {__version__}\n{allow_fallback}\n{job}\n".encode())
    if press.dated(memorial, job.product, job.edition):     # its PDF carries the build's date
        digest.update(f"dated {pdfstandards.build_time().isoformat()}\n".encode())
    # the print geometry is code, yet the pages are made from it as from the templates
    digest.update(f"{geometry.of(memorial)}\n".encode())
    shared = ("shared", memorial.slug)      # what every job of the memorial reads: once
    if shared not in hashes:
        if "templates" not in hashes:       # listed once per build, not once per job
            hashes["templates"] = sorted(p for p in ws.templates.rglob("*") if p.is_file())
        files = [memorial.manifest_path, memorial.folder / Path(memorial.article.path).name]
        hashes[shared] = b"".join(_file_digest(ws, path, hashes)
                                  for path in files + hashes["templates"])
    # A carved language that is not the product's own lends it only its carved text:
    # the rest of its catalog may change without touching this product.
    for code in languages:
        if code not in job.locales:
            carved = ("carved", memorial.slug, code)        # once per build, as a file
            if carved not in hashes:
                hashes[carved] = translations.carved_text_digest(ws, code, memorial).encode()
            digest.update(f"carved {code}\0".encode())
            digest.update(hashes[carved])
    digest.update(hashes[shared])
    for code in job.locales:
        for domain in (memorial.domain, TEMPLATE_DOMAIN):
            digest.update(_file_digest(ws, ws.po_path(code, domain), hashes))
    return digest.hexdigest()


def _file_digest(ws: Workspace, path: Path, hashes: dict) -> bytes:
    """A file's name and hash, as the inputs' digest takes it in; read once per build."""
    if path not in hashes:
        try:
            content = hashlib.sha256(Path(path).read_bytes()).digest()
        except FileNotFoundError:
            content = b"missing"
        hashes[path] = ws.relative(path).encode() + b"\0" + content
    return hashes[path]


def read_record(record_path: Path) -> dict | None:
    try:
        record = json.loads(record_path.read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def up_to_date(record_path: Path, digest: str, outputs: list[Path]) -> dict | None:
    """The record of an output made from exactly these inputs and still intact, or None."""
    record = read_record(record_path)
    if record is None or record.get("inputs") != digest or record.get("code") != code_digest():
        return None
    if record.get("status") == "skipped":
        return record
    seen = record.get("stats", {})
    for path in outputs:
        expected = record.get("outputs", {}).get(str(path))
        if expected is None or not path.exists():
            return None
        # the file as it was written (same inode, size and time to the nanosecond, as git's
        # index trusts it) is not read again; any other is hashed
        if seen.get(str(path)) != stat_key(path) and file_hash(path) != expected:
            return None
    return record


def write_record(record_path: Path, digest: str, outputs: list[Path], status: str = "built",
            reason: str = "", switcher: list | None = None, findings: list[str] | None = None,
            fallbacks: list[str] | None = None) -> None:
    """What a job made, from which inputs.  Outputs made before from the same inputs (a
    PDF, when only the page is made again) stay recorded, and so does the switcher of a
    page not made this time."""
    record = {"inputs": digest, "code": code_digest(), "status": status, "reason": reason,
              "outputs": {str(p): file_hash(p) for p in outputs},
              "stats": {str(p): stat_key(p) for p in outputs},
              "findings": findings or [], "fallbacks": fallbacks or []}
    previous = read_record(record_path) if status == "built" else None
    if (previous and previous.get("inputs") == digest and previous.get("code") == code_digest()
            and previous.get("status") == "built"):
        record["outputs"] = {**previous.get("outputs", {}), **record["outputs"]}
        record["stats"] = {**previous.get("stats", {}), **record["stats"]}
        if switcher is None and "switcher" in previous:
            switcher = previous["switcher"]
    if switcher is not None:
        record["switcher"] = switcher
    atomic_write(record_path, json.dumps(record, indent=1, sort_keys=True).encode())


def stat_key(path: Path) -> list[int]:
    found = path.stat()
    return [found.st_ino, found.st_size, found.st_mtime_ns]


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
