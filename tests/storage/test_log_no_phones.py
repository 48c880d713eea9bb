"""Logs carry no phone numbers (issue 18 item 8): messages, arguments and tracebacks are masked in the log file,
while USCCs, amounts and dates stay readable for whoever diagnoses a problem."""

from __future__ import annotations

import logging

from lvqi_desktop.logging_setup import PHONE_MASK
from lvqi_desktop.logging_setup import setup_logging
from tests.conftest import make_uscc


def test_the_log_file_masks_phones_but_keeps_codes_and_figures(services) -> None:
    uscc = make_uscc(seed=7)
    log = setup_logging(services.data_dir.logs)
    root_logger = logging.getLogger()
    try:
        logger = logging.getLogger("lvqi_desktop.test")
        logger.info("联系人 王五 13912345678，座机 0358-8221234，备用 03588221235；企业 %s 营业收入 12345678901234 分",
                    uscc)
        logger.warning("统计员电话 %s", "15800001111")
        try:
            raise ValueError("联系电话 18600002222 无法写入")
        except ValueError:
            logger.exception("写入失败 2026-03-18")
        for h in root_logger.handlers:
            h.flush()
    finally:
        for h in [h for h in root_logger.handlers if getattr(h, "baseFilename", "") == str(log)]:
            root_logger.removeHandler(h)
            h.close()
    text = log.read_text(encoding="utf-8")
    for phone in ("13912345678", "0358-8221234", "03588221235", "15800001111", "18600002222"):
        assert phone not in text
    assert text.count(PHONE_MASK) >= 5  # the traceback quotes the raising line too
    assert uscc in text and "12345678901234" in text and "2026-03-18" in text
    assert "ValueError" in text  # the traceback itself is kept
