"""The workbook opens cleanly in LibreOffice: convert it to PDF headless and check the text."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from lvqi_desktop.exporters.return_xlsx import write_returns_xlsx
from tests.exporters.conftest import sample_document

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice (libreoffice-calc-nogui) or poppler-utils not installed")


def test_workbook_converts_in_libreoffice(tmp_path) -> None:
    path = write_returns_xlsx([sample_document(rows=40)], tmp_path / "报表.xlsx")
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(path)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "报表.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for expected in ["测试企业名录", "填报单位：吕梁市离石区中小企业服务中心", "统一社会信用代码", "营业收入（万元）",
                     "吕梁市鑫源煤焦有限公司", '=HYPERLINK("http://x","y")', "+8613800000000", "1,234.56",
                     "填报单位（盖章）", "统计负责人：李四", "报出日期：2026年11月26日", "第1页共"]:
        assert expected in flat, expected
    assert "#NAME" not in flat and "Err:" not in flat  # nothing was evaluated as a formula
