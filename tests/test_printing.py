"""What printing changes in the process that imports it: nothing of the standard library,
no logger's level, no environment variable; only WeasyPrint's notes about the kit's own
documents are dropped."""
import logging
import os
import threading
import time

import pytest

from conftest import COUNT_LIBRARY_PROBES, run_python
from memorial_kit import printing

IMPORT_THE_KIT = COUNT_LIBRARY_PROBES + """
import logging, os
before = dict(os.environ)
import memorial_kit.printing
assert ctypes.util.find_library is find_library
assert "gobject-2.0" in asked             # WeasyPrint's lookups went to the process's own
assert dict(os.environ) == before
print(logging.getLogger("weasyprint").level, logging.getLogger("weasyprint.progress").level,
      logging.getLogger("fontTools").level)
"""

# A page with an @media rule WeasyPrint does not parse (the kit's pages have such rules
# for screens), so that it logs a warning about it.
PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title>
<style>@media screen and (max-width: 59.99rem) { p { color: red } }</style></head>
<body><p>Vorkuta</p></body></html>"""


def test_importing_the_kit_patches_nothing_and_sets_no_level():
    out = run_python(IMPORT_THE_KIT)
    assert out.stdout.split() == ["0", "0", "0"]         # NOTSET: as the program left them


@pytest.fixture
def weasyprint_records():
    """The records WeasyPrint's loggers pass on, at every level."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler, level = Keep(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_warnings_about_the_kits_documents_are_dropped(weasyprint_records, workspace):
    printed = printing.html_to_pdf(PAGE, workspace / "templates", "t")
    assert printed.pages == 1
    assert weasyprint_records == []


def test_warnings_about_other_documents_pass(weasyprint_records):
    import weasyprint
    weasyprint.HTML(string=PAGE).render()               # the program's own document
    messages = [r.getMessage() for r in weasyprint_records if r.levelno == logging.WARNING]
    assert any("max-width: 59.99rem" in message for message in messages)
    assert any(r.name == "weasyprint.progress" for r in weasyprint_records)


def test_a_warning_in_another_thread_passes_while_the_kit_prints(weasyprint_records, workspace):
    from weasyprint.logger import LOGGER
    printing_now, logged = threading.Event(), threading.Event()
    fetch = printing.TemplatesOnlyFetcher.fetch

    def slow_fetch(self, url, headers=None):            # holds the kit's render open
        printing_now.set()
        logged.wait(30)
        return fetch(self, url, headers)

    page = PAGE.replace("<title>", '<link rel="stylesheet" href="print.css"><title>')
    thread = threading.Thread(target=lambda: printing.html_to_pdf(page, workspace / "templates", "t"))
    try:
        printing.TemplatesOnlyFetcher.fetch = slow_fetch
        thread.start()
        assert printing_now.wait(30)
        LOGGER.warning("the program's own note")
    finally:
        logged.set()
        thread.join(60)
        printing.TemplatesOnlyFetcher.fetch = fetch
    assert [r.getMessage() for r in weasyprint_records] == ["the program's own note"]


def test_errors_about_the_kits_documents_pass(weasyprint_records, workspace):
    page = PAGE.replace("<title>", '<link rel="stylesheet" href="https://example.invalid/a.css">'
                                   "<title>")
    with pytest.raises(printing.RenderError, match="refused to fetch https://example.invalid/a.css"):
        printing.html_to_pdf(page, workspace / "templates", "t")
    assert [r.levelno for r in weasyprint_records] == [logging.ERROR]


def test_printing_leaves_the_environment_alone_and_the_clock_out_of_the_bytes(
        monkeypatch, workspace):
    """Subset fonts carry no time of writing (WeasyPrint subsets with HarfBuzz), so the
    kit sets no SOURCE_DATE_EPOCH for them: a render never writes to os.environ, which
    other threads of the process read."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    writes = []

    class Watched(type(os.environ)):
        def __setitem__(self, key, value):
            writes.append(key)
            super().__setitem__(key, value)

        def __delitem__(self, key):
            writes.append(key)
            super().__delitem__(key)

    watched = Watched(os.environ._data, os.environ.encodekey, os.environ.decodekey,
                      os.environ.encodevalue, os.environ.decodevalue)
    monkeypatch.setattr(os, "environ", watched)
    page = PAGE.replace("<p>", "<p><b>Bold</b> <i>italic</i> Воркута ").replace(
        "<title>", '<link rel="stylesheet" href="fonts.css"><title>')
    printing._LAID_OUT.clear()
    now = printing.html_to_pdf(page, workspace / "templates", "t").pdf
    printing._LAID_OUT.clear()
    later = time.time() + 10 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    assert printing.html_to_pdf(page, workspace / "templates", "t").pdf == now
    assert writes == []
