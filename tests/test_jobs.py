"""One job rendered and printed: a large label set in chunks of sheets, joined."""
from conftest import copy_workspace
from test_build import pdfinfo, pdftext


def test_large_label_sets_print_in_chunks_with_the_same_bytes(tmp_path, monkeypatch):
    from memorial_kit import build, jobs
    from memorial_kit.workspace import Workspace
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    monkeypatch.setattr(jobs, "LABEL_CHUNK_SHEETS", 1)       # 2 sheets -> 2 chunks, joined
    outputs = {}
    for mode in ("serial", "parallel"):
        out = tmp_path / mode
        report = build.run_build(ws, build.BuildRequest(
            products=["labels"], locales=["ru"], formats=("pdf",), out=str(out),
            parallel=mode == "parallel", force=True))
        assert [r.status for r in report.results] == ["built"], report.results
        outputs[mode] = (out / "vorkuta-uprising" / "labels" / "ru-en.pdf").read_bytes()
    assert outputs["serial"] == outputs["parallel"]
    pdf = tmp_path / "serial" / "vorkuta-uprising" / "labels" / "ru-en.pdf"
    assert pdfinfo(pdf)["Pages"].strip() == "2"
    assert "CC BY-SA 4.0" in pdfinfo(pdf)["Subject"]
    text = pdftext(pdf)
    assert "Речлаг" in text and "John H. Noble" in text        # first and last sheet
