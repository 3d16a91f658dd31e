"""What serve's watcher makes of an edit: which files count, and which locales they touch."""
from pathlib import Path

from memorial_kit.watch import affected_locales, relevant
from memorial_kit.workspace import Workspace


def test_editor_and_kit_side_files_do_not_count():
    for name in ("lt.po", "memorial.toml", "article.txt", "leaflet.html.j2", "print.css"):
        assert relevant(Path("/ws/x") / name), name
    for name in ("lt.mo", ".lt.po.abc123.tmp", "lt.po~", ".lt.po.swp", "#lt.po#", "4913"):
        assert not relevant(Path("/ws/x") / name), name
    assert not relevant(Path("/ws/templates/__pycache__/x.py"))


def test_a_catalog_touches_its_locale_a_seed_or_template_everything(tmp_path):
    (tmp_path / "seeds").mkdir()
    ws = Workspace.at(tmp_path)
    po = tmp_path / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    ru = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "memorial-kit.po"
    assert affected_locales(ws, [po]) == {"lt"}
    assert affected_locales(ws, [po, ru]) == {"lt", "ru"}
    assert affected_locales(ws, [tmp_path / "locales" / "memorial-kit.pot"]) == set()
    assert affected_locales(ws, [po, tmp_path / "templates" / "print.css"]) is None
    assert affected_locales(ws, [tmp_path / "seeds" / "m" / "memorial.toml"]) is None
    assert affected_locales(ws, [tmp_path.parent / "elsewhere.po"]) == set()
