"""The printable letters: a real PDF rendered by poppler (pdftoppm, pdftotext, pdfinfo)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from dashboard.documents import letters
from dashboard.registry.notices import PendingReceipt, Recipient

ISSUED = date(2026, 11, 16)


def _recipient(no: str, name: str, division: str, address: str | None, due: date) -> Recipient:
    receipts = (
        PendingReceipt(113, 0, "課程學習成果", None, due, "未訂收訖確認期程，以資料截至後 3 天計"),
        PendingReceipt(113, 2, "修課紀錄", due, due, None),
    )
    return Recipient(no, name, division, "機三甲", "畢業", None, address, receipts)


ROWS = [
    _recipient("1110001", "王小明", "日間部", "300新竹市東區測試路1號", date(2026, 11, 19)),
    _recipient("1110002", "歐陽美華", "進修部", "302新竹縣竹北市範例街2號", date(2027, 1, 15)),
]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_one_page_per_student_with_name_deadline_and_school(tmp_path: Path) -> None:
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(letters.build_letters(ROWS, may_see_addresses=True, issued_on=ISSUED))
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE), info
    _run("pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page"))
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 2 and all(p.stat().st_size > 0 for p in pngs)
    text = _run("pdftotext", "-layout", str(pdf), "-")
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == 2
    for page, row, due in zip(pages, ROWS, ("115/11/19", "116/01/15"), strict=False):
        flat = re.sub(r"\s+", "", page)
        assert row.name in flat and row.student_no in flat
        assert f"{row.student_no}{row.name}同學收" in flat
        assert row.address is not None and row.address in flat
        assert due in flat
        assert "國立新竹高級工業職業學校" in flat
        assert "中華民國115年11月16日" in flat
        assert row.contact_unit in flat and "03-5322175分機" in flat
        assert "回條" in flat
    assert "進修部教務組" in re.sub(r"\s+", "", pages[1]) and "進修部教務組" not in re.sub(
        r"\s+", "", pages[0]
    )


def test_refuses_without_address_permission() -> None:
    with pytest.raises(PermissionError, match="通訊地址"):
        letters.build_letters(ROWS, may_see_addresses=False, issued_on=ISSUED)


def test_refuses_an_empty_list() -> None:
    with pytest.raises(ValueError, match="沒有"):
        letters.build_letters([], may_see_addresses=True, issued_on=ISSUED)


def test_a_missing_font_gives_an_actionable_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(letters.FONT_ENV, raising=False)
    monkeypatch.setattr(letters, "FONT_CANDIDATES", (str(tmp_path / "none.ttc"),))
    letters.find_font.cache_clear()
    try:
        with pytest.raises(letters.FontMissingError, match="找不到中文字型，請安裝 fonts-noto-cjk"):
            letters.build_letters(ROWS, may_see_addresses=True, issued_on=ISSUED)
    finally:
        letters.find_font.cache_clear()


def test_the_traditional_chinese_face_is_chosen() -> None:
    font = letters.find_font()
    assert font.path.is_file()
    if font.path.suffix.lower() == ".ttc":
        from fontTools.ttLib import TTCollection

        collection = TTCollection(str(font.path), lazy=True)
        name = str(collection.fonts[font.face]["name"].getDebugName(4))
        collection.close()
        assert name.endswith(" TC"), name
