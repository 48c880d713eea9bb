"""A sheet longer than HEAD_ROWS keeps only its head in memory; its data rows are streamed from the file when
checked, with the same outcome as a sheet read whole, and a file changed after its header was read is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from lvqi_desktop.services.imports import service as xlsx_import
from lvqi_desktop.sheets.reader import HEAD_ROWS
from lvqi_desktop.sheets.reader import SheetRefused
from lvqi_desktop.storage.repositories.enterprises import EnterpriseFilter
from tests.conftest import uscc_for

FIRMS = HEAD_ROWS + 200


def long_ledger(path: Path, firms: int = FIRMS) -> Path:
    """A county ledger: title and a blank line above the header, one firm a row, then a firm on two rows
    (one per year) and a USCC mangled by hand at the very end, past the head."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["离石区中小企业台账"])
    ws.append([])
    ws.append(["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "备注"])
    for i in range(firms):
        ws.append([uscc_for(i + 1), f"吕梁市流式{i:05d}有限公司", 2024, 100 + i, ""])
    ws.append([uscc_for(90001), "吕梁市两年有限公司", 2023, 500, ""])
    ws.append([uscc_for(90001), "吕梁市两年有限公司", 2024, 600, ""])
    good = uscc_for(90002)
    ws.append([good[:-1] + ("0" if good[-1] != "0" else "1"), "吕梁市错码有限公司", 2024, 1, ""])
    wb.save(path)
    return path


def _outcome(plan) -> list[tuple]:
    return [(r.row, r.status, tuple(r.errors), tuple(r.warnings)) for r in plan.rows]


def test_a_long_sheet_is_streamed_with_the_outcome_of_a_whole_read(importer, services, tmp_path, monkeypatch):
    path = long_ledger(tmp_path / "台账.xlsx")
    layout = importer.open_sheet(path, "enterprises")
    assert layout.header_row == 3 and layout.sheet.source is not None and len(layout.sheet.rows) == HEAD_ROWS
    plan = importer.dry_run(path, "enterprises", layout)
    rows = {r.row: r for r in plan.rows}
    last = 3 + FIRMS + 3
    assert len(plan.rows) == FIRMS + 2 and rows[last].status == "error" and rows[last].errors[0][0] == f"A{last}"
    assert rows[last - 2].status == "new" and rows[4].status == "new"  # the firm on two rows: one result
    monkeypatch.setattr(xlsx_import, "HEAD_ROWS", None)  # the same file read whole
    whole = importer.open_sheet(path, "enterprises")
    assert whole.sheet.source is None and len(whole.sheet.rows) == last
    assert _outcome(importer.dry_run(path, "enterprises", whole)) == _outcome(plan)
    result = importer.apply(path, "enterprises", layout, plan=plan)
    assert result.added == FIRMS + 1
    [firm] = services.enterprises.matching_ids(EnterpriseFilter(search="吕梁市两年有限公司"))
    assert sorted(y.year for y in services.enterprises.draft(firm).years) == [2023, 2024]


def test_a_file_changed_after_its_header_was_read_is_refused(importer, services, tmp_path):
    path = long_ledger(tmp_path / "台账.xlsx")
    layout = importer.open_sheet(path, "enterprises")
    long_ledger(path, FIRMS + 1)  # saved again in Excel meanwhile
    with pytest.raises(SheetRefused, match="在读取表头之后被修改过"):
        importer.dry_run(path, "enterprises", layout)
    plan = importer.dry_run(path, "enterprises")  # chosen again: read afresh
    assert len(plan.rows) == FIRMS + 3
