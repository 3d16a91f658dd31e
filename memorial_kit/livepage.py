"""What ``serve`` adds to a page it serves (never to the files in dist/): a panel beside
the page with the build's errors and the page's findings, a map from the page's
passages to their catalog entries, and the script that reloads the page when it was
rebuilt and shows, for a clicked passage, its msgctxt, msgid and .po file:line.
"""
from __future__ import annotations

import json
import re
import urllib.parse

from markupsafe import escape

from . import placeholders

PREFIX = "/__memorial-kit__/"

STYLE = """
#mk-serve{position:fixed;inset-block:0;inset-inline-end:0;width:24rem;max-width:45vw;
 overflow:auto;z-index:2147483647;background:#fffdf7;color:#222;border-inline-start:2px solid #888;
 font:13px/1.4 system-ui,sans-serif;padding:.6rem .8rem;box-sizing:border-box;text-align:start}
#mk-serve h2{font-size:14px;margin:.6rem 0 .3rem}
#mk-serve ol{padding-inline-start:1.2rem;margin:0}
#mk-serve li{margin:.3rem 0}
#mk-serve code{font-size:12px;word-break:break-all}
#mk-serve .mk-error{color:#a00000}
#mk-serve .mk-warning{color:#7a4f00}
#mk-serve .mk-banner{background:#ffe5e5;border:1px solid #a00000;padding:.4rem;color:#600}
#mk-serve .mk-passage{background:#eef4ff;border:1px solid #4060a0;padding:.4rem}
.mk-picked{outline:2px solid #4060a0 !important}
@media print{#mk-serve{display:none}}
"""

SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById("mk-serve-data").textContent);
  var key = "mk-serve-scroll:" + data.page;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, +saved); }
  var norm = function (s) {
    return s.replace(/\u00ad/g, "").replace(/[\s\u00a0\u202f]+/g, " ").trim();
  };
  var slot = new RegExp(data.slot);
  var entries = data.entries.map(function (e) {
    var pieces = [];
    e.s.forEach(function (text) {
      var parts = norm(text).split(slot).map(function (p) { return p.trim(); })
        .filter(function (p) { return p.length > 0; });
      pieces.push(parts);
    });
    return {entry: e, forms: pieces};
  });
  function best(text) {
    var found = null, score = 0;
    entries.forEach(function (item) {
      item.forms.forEach(function (parts) {
        var length = 0;
        for (var i = 0; i < parts.length; i++) {
          if (text.indexOf(parts[i]) < 0) { return; }
          length += parts[i].length;
        }
        if (length > score) { score = length; found = item.entry; }
      });
    });
    return score >= 2 ? found : null;
  }
  function refresh() {
    fetch(data.panel).then(function (r) { return r.text(); }).then(function (html) {
      document.getElementById("mk-serve-panel").innerHTML = html;
    });
  }
  var picked = null;
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest("a, button, #mk-serve")) { return; }
    var box = document.getElementById("mk-passage");
    for (var el = target; el && el !== document.documentElement; el = el.parentElement) {
      var entry = best(norm(el.textContent || ""));
      if (entry) {
        if (picked) { picked.classList.remove("mk-picked"); }
        picked = el; el.classList.add("mk-picked");
        box.hidden = false;
        box.querySelector(".mk-ctxt").textContent = entry.c === null ? "(none)" : entry.c;
        box.querySelector(".mk-id").textContent = entry.i;
        box.querySelector(".mk-where").textContent = entry.f + ":" + entry.l;
        return;
      }
    }
    box.hidden = true;
  });
  var source = new EventSource(data.events);
  source.addEventListener("update", function (event) {
    var update = JSON.parse(event.data);
    if (update.pages.indexOf(data.page) >= 0) {
      sessionStorage.setItem(key, String(window.scrollY));
      source.close();
      window.location.reload();
    } else if (update.panel) {
      refresh();
    }
  });
})();
"""


def page_locales(page: str) -> tuple[str | None, list[str]]:
    """``vorkuta-uprising/lt/leaflet.html`` -> (memorial, [lt]); a label sheet
    ``<memorial>/labels/lt-en.html`` -> both of its languages; the index -> (None, [])."""
    parts = page.strip("/").split("/")
    if len(parts) != 3 or not parts[2].endswith(".html"):
        return None, []
    if parts[1] == "labels":
        return parts[0], parts[2][:-len(".html")].split("-")
    return parts[0], [parts[1]]


def panel_html(page: str, error: str | None, failures: list[str], findings: list | None,
               locales: list[str]) -> str:
    """The panel's content: the last build's error (the page is its last good render),
    failed products, then the page's findings (code, message, file:line, entry)."""
    out = []
    if error:
        out.append(f'<div class="mk-banner" role="alert"><strong>The last edit cannot be '
                   f'built.</strong> This is the last good render.<pre>{escape(error)}</pre></div>')
    if failures:
        out.append("<h2>Not built</h2><ol>")
        out += [f'<li class="mk-error">{escape(reason)}</li>' for reason in failures]
        out.append("</ol>")
    title = f"Findings ({', '.join(locales)})" if locales else "Findings"
    if findings is None:
        out.append(f"<h2>{escape(title)}</h2><p>Checking…</p>")
        return "".join(out)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    out.append(f"<h2>{escape(title)}: {counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['info']} info</h2>")
    if findings:
        out.append("<ol>")
        for f in findings:
            where = f"{f.path}:{f.line}" if f.path and f.line else (f.path or "")
            entry = _entry_name(f)
            out.append(f'<li class="mk-{escape(f.severity)}"><strong>{escape(f.severity)} '
                       f'[{escape(f.code)}]</strong> {escape(f.message)}'
                       + (f"<br><code>{escape(where)}</code>" if where else "")
                       + (f"<br><code>{escape(entry)}</code>" if entry else "") + "</li>")
        out.append("</ol>")
    else:
        out.append("<p>Nothing found.</p>")
    return "".join(out)


def _entry_name(finding) -> str:
    if finding.msgid is None:
        return ""
    name = getattr(finding, "message_name", None)
    if name is not None:
        return name()
    ctxt = f'msgctxt "{finding.msgctxt}" ' if finding.msgctxt is not None else ""
    return f'{ctxt}msgid "{finding.msgid}"'


def inject(html: str, page: str, panel: str, entries: list[dict]) -> str:
    """The page with the panel and the script before ``</body>``."""
    data = {"page": page, "entries": entries, "events": PREFIX + "events",
            "panel": PREFIX + "panel?page=" + urllib.parse.quote(page),
            "slot": placeholders.FILLED}
    # JSON inside <script>: "</" must not end the element.
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    addition = (f'<aside id="mk-serve" lang="en" dir="ltr" aria-label="memorial-kit serve">'
                f"<style>{STYLE}</style>"
                f'<div id="mk-serve-panel">{panel}</div>'
                f'<div id="mk-passage" class="mk-passage" hidden><h2>Clicked passage</h2>'
                f'msgctxt: <code class="mk-ctxt"></code><br>msgid: <code class="mk-id"></code>'
                f'<br><code class="mk-where"></code></div></aside>'
                f'<script type="application/json" id="mk-serve-data">{payload}</script>'
                f"<script>{SCRIPT}</script>")
    matches = list(re.finditer(r"</body\s*>", html, re.IGNORECASE))
    if not matches:
        return html + addition
    at = matches[-1].start()
    return html[:at] + addition + html[at:]
