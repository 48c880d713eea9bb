"""Draw the application icon with Qt and write resources/icons/lvqi.png and lvqi.ico.

Run once after changing the design (the output files are committed):
    QT_QPA_PLATFORM=offscreen python installer/make_icon.py
The .ico holds PNG-compressed images of 16–256 px (Windows Vista and later read these).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer
from PySide6.QtCore import QByteArray
from PySide6.QtCore import QIODevice
from PySide6.QtCore import QRectF
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QImage
from PySide6.QtGui import QPainter
from PySide6.QtGui import QPainterPath
from PySide6.QtGui import QPen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    """A rounded green square (吕梁 hills) with a white ledger sheet and the character 企."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f6f5c"))
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    hills = QPainterPath()
    hills.moveTo(8 * s, 200 * s)
    hills.cubicTo(70 * s, 150 * s, 110 * s, 190 * s, 150 * s, 165 * s)
    hills.cubicTo(190 * s, 140 * s, 220 * s, 160 * s, 248 * s, 150 * s)
    hills.lineTo(248 * s, 204 * s)
    hills.quadTo(248 * s, 248 * s, 204 * s, 248 * s)
    hills.lineTo(52 * s, 248 * s)
    hills.quadTo(8 * s, 248 * s, 8 * s, 204 * s)
    hills.closeSubpath()
    p.setBrush(QColor("#2e9c7f"))
    p.drawPath(hills)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(58 * s, 40 * s, 140 * s, 150 * s), 10 * s, 10 * s)
    if size >= 32:
        p.setPen(QPen(QColor("#c9d8d3"), max(1.0, 4 * s)))
        for y in (150, 170):
            p.drawLine(int(76 * s), int(y * s), int(180 * s), int(y * s))
    font = QFont()
    font.setFamilies(["Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC"])
    font.setBold(True)
    font.setPixelSize(max(8, int(104 * s)))
    p.setFont(font)
    p.setPen(QColor("#c0392b"))
    p.drawText(QRectF(58 * s, 36 * s, 140 * s, 110 * s), Qt.AlignmentFlag.AlignCenter, "企")
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    images = [(size, png_bytes(draw(size))) for size in SIZES]
    (OUT / "lvqi.png").write_bytes(dict(images)[256])
    (OUT / "lvqi.ico").write_bytes(ico_bytes(images))
    print(f"wrote {OUT / 'lvqi.png'} and {OUT / 'lvqi.ico'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
