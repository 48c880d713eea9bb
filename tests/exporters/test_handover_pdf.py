"""The 交办单 PDF: text round trip (poppler), embedded fonts only, the service, `lvqi demand sheet --out`, and the
detail dialog's 打印交办单 button."""

from __future__ import annotations

import errno
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest

from lvqi_desktop import atomic_files
from lvqi_desktop import clock
from lvqi_desktop.errors import ExportError
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exporters.handover_pdf import PDF_TITLE
from lvqi_desktop.exporters.handover_pdf import write_handover_pdf
from lvqi_desktop.validation.demands import DemandDraft
from tests.conftest import make_uscc
from tests.services.helpers_demands.conftest import TODAY

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils (pdftotext, pdffonts) not installed")

LONG = "".join(f"第{n}项：企业反映原材料价格上涨（详见附件），“订单充足”但流动资金紧张；需协调贷款500万元，增长18%。"
               for n in range(1, 31))  # about 1,500 of the 2,000 allowed
OFFICE = "吕梁市离石区中小企业服务中心"


def text_of(path: Path) -> str:
    """The PDF's text without whitespace or page footers, so wrapped lines and pages join up again."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"第\d+页共\d+页", "", re.sub(r"\s+", "", out))


def fonts_of(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[2:]


def handed_over(act, description: str = LONG, name: str = "吕梁市鑫源煤焦有限公司") -> int:
    firm = act.enterprise(name, seed=11)
    helper = act.helper("张三", post="副区长")
    demand_id = act.demands.register(DemandDraft(
        enterprise_id=firm, source="visit", category="finance", description=description,
        suggestion="建议区金融办牵头召开银企对接会", urgency="urgent", received_on=date(2026, 11, 20),
        helper_id=helper)).id
    act.demands.assign(demand_id, "区金融办", date(2026, 12, 10), co_units="区税务局、区人社局",
                       unit_contact="李科长 0358-8221234", on=date(2026, 11, 21))
    return demand_id


def test_the_sheet_prints_every_field_in_full(act, tmp_path) -> None:
    demand_id = handed_over(act)
    folder = tmp_path / "交办单"
    folder.mkdir()
    path = act.demands.export_handover_sheet(demand_id, folder)
    assert path == folder / "交办单-141102-2026-0001.pdf" and path.is_file()
    assert list(folder.iterdir()) == [path]  # the temporary file was renamed, none left over
    text = text_of(path)
    for expected in [OFFICE, PDF_TITLE, "编号：141102-2026-0001", "吕梁市鑫源煤焦有限公司", make_uscc(seed=11),
                     "王经理13800000000", "融资", "紧急", "2026年11月20日", LONG, "建议区金融办牵头召开银企对接会",
                     "责任单位", "区金融办", "区税务局、区人社局", "2026年12月10日前", "张三（副区长）",
                     "交办意见", "办理情况", "交办单位（盖章）", "经办人", "日期：2026年11月26日",
                     "承办单位签收", "签收人", "签收日期"]:
        assert expected in text, expected
    assert TODAY == act.demands.today()


def test_only_embedded_subset_fonts(act, tmp_path) -> None:
    path = act.demands.export_handover_sheet(handed_over(act), tmp_path / "sheet.pdf")
    lines = fonts_of(path)
    assert lines, "no fonts listed"
    for line in lines:
        name, emb, sub = line.split()[0], line.split()[-5], line.split()[-4]
        assert re.match(r"[A-Z]{6}\+", name) and (emb, sub) == ("yes", "yes"), line
    assert not any("Helvetica" in line or "STSong" in line for line in lines)


def test_a_short_sheet_is_one_page_and_a_long_one_breaks_across_pages(act, tmp_path) -> None:
    demand_id = handed_over(act, "流动资金紧张，需要贷款支持")
    short = act.demands.export_handover_sheet(demand_id, tmp_path / "a")
    assert short == tmp_path / "a.pdf"
    info = subprocess.run(["pdfinfo", str(short)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    sheet = act.demands.handover_sheet(demand_id)
    long = tmp_path / "long.pdf"
    write_handover_pdf(replace(sheet, description=LONG * 3), long)
    assert LONG * 3 in text_of(long)
    assert "第1页共" in subprocess.run(["pdftotext", str(long), "-"], capture_output=True, text=True,
                                        check=True).stdout.replace(" ", "")


def test_missing_characters_print_a_placeholder(act, tmp_path) -> None:
    sheet = act.demands.handover_sheet(handed_over(act, "吕梁𠮷祥公司反映用地手续难"))
    path = tmp_path / "rare.pdf"
    missing = write_handover_pdf(sheet, path)
    assert missing == {"𠮷"}
    assert "吕梁□祥公司反映用地手续难" in text_of(path)


def test_refusals_are_in_chinese_and_leave_no_file(act, tmp_path, monkeypatch) -> None:
    firm = act.enterprise("离石恒泰物流有限公司", seed=12)
    pending = act.demand(firm, date(2026, 11, 20))
    with pytest.raises(LvqiError, match="尚未交办"):
        act.demands.export_handover_sheet(pending, tmp_path)
    demand_id = handed_over(act)
    with pytest.raises(ExportError, match="不存在"):
        act.demands.export_handover_sheet(demand_id, tmp_path / "没有这个文件夹" / "a.pdf")
    locked = tmp_path / "只读"
    locked.mkdir()

    def refuse(_src, dst):  # as Windows does while the old sheet is open in a PDF reader
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(atomic_files.os, "replace", refuse)
    with pytest.raises(ExportError, match="没有权限写入.*交办单没有生成"):
        act.demands.export_handover_sheet(demand_id, locked)
    assert not list(locked.iterdir())  # the temporary file is removed
    assert not list(tmp_path.glob("*.pdf"))


# ---- the command line


def test_cli_sheet_out_writes_the_pdf(lvqi, tmp_path) -> None:
    today = clock.today()
    code, out, _ = lvqi("demand", "add", "--enterprise", "1", "--category", "用工", "--description", LONG,
                        "--format", "json")
    number = json.loads(out)["number"]
    code, _, err = lvqi("demand", "sheet", number, "--out", str(tmp_path))
    assert code == 1 and "尚未交办" in err  # a pending demand has no responsible unit yet
    assert lvqi("demand", "transition", number, "交办", "--unit", "区人社局",
                "--due", str(today + timedelta(days=10)))[0] == 0
    code, out, _ = lvqi("demand", "sheet", number)  # without --out: the JSON as before
    assert code == 0 and json.loads(out)["responsible_unit"] == "区人社局"
    target = tmp_path / "out" / "交办单.pdf"
    target.parent.mkdir()
    code, out, err = lvqi("demand", "sheet", number, "--out", str(target))
    assert (code, err) == (0, "") and target.is_file() and str(target) in out
    text = text_of(target)
    assert PDF_TITLE in text and number in text and "吕梁命令行测试有限公司" in text and LONG in text
    code, out, _ = lvqi("demand", "sheet", number, "--out", str(tmp_path))
    assert code == 0 and (tmp_path / f"交办单-{number}.pdf").is_file()
    code, _, err = lvqi("demand", "sheet", number, "--out", str(tmp_path / "missing" / "x.pdf"))
    assert code == 1 and err.startswith("错误：") and "不存在" in err


# ---- the detail dialog


def test_print_button_writes_the_sheet(qtbot, act, tmp_path, monkeypatch) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from lvqi_desktop.ui import background
    from lvqi_desktop.ui import messages
    from lvqi_desktop.ui.demands import detail as demand_detail

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QSettings().clear()
    act.services.demands = act.demands  # the dialog reads through the bundle; use the fixed clock
    demand_id = handed_over(act)
    dialog = demand_detail.DemandDetailDialog(act.services, demand_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sheet_button.isVisible() and dialog.sheet_button.text() == "打印交办单"
    target = tmp_path / "保存" / "交办单-141102-2026-0001.pdf"
    target.parent.mkdir()
    asked: list[str] = []

    def save_as(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    offered: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "inform_with_action", lambda _p, text, action, *a: offered.append((text, action))
                        or False)
    qtbot.mouseClick(dialog.sheet_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(offered), timeout=15000)
    background.wait_for_background()
    assert Path(asked[0]).name == "交办单-141102-2026-0001.pdf"
    assert target.is_file() and "吕梁市鑫源煤焦有限公司" in text_of(target)
    assert offered[0][1] == "打开交办单" and "交办单-141102-2026-0001.pdf" in offered[0][0]
