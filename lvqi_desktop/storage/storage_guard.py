"""Keep the live database off network and removable drives, and say where it is kept and why."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from pathlib import PureWindowsPath

from lvqi_desktop.errors import StorageRefused
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import default_data_root

# GetDriveTypeW results (winbase.h)
DRIVE_REMOVABLE = 2
DRIVE_FIXED = 3
DRIVE_REMOTE = 4
DRIVE_CDROM = 5
DRIVE_RAMDISK = 6

# STORAGE_BUS_TYPE (ntddstor.h): a USB hard disk or a "fixed" USB stick reports DRIVE_FIXED, but its bus is USB
BUS_1394 = 0x4
BUS_USB = 0x7
BUS_SD = 0xC
BUS_MMC = 0xD  # SD and MMC may also be a cheap laptop's built-in eMMC system disk: warn, never refuse
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs", "davfs",
    "fuse.sshfs", "sshfs", "fuse.glusterfs", "fuse.rclone", "fuse.s3fs", "fuse.davfs2", "fuse.gvfsd-fuse",
})
REMOVABLE_MOUNT_PREFIXES = ("/media/", "/run/media/")

WHY_LOCAL = ("数据必须放在这台电脑自己的硬盘上：放在网络共享盘上，几台电脑同时使用会把数据弄坏；"
             "U 盘、移动硬盘在写入途中拔出会丢失或损坏数据。")


class DriveKind(Enum):
    LOCAL = "local"
    NETWORK = "network"
    REMOVABLE = "removable"
    DOUBTFUL = "doubtful"  # usable, but the clerk is warned: a synced folder, an SD/eMMC card
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DriveInfo:
    """What kind of drive a folder is on; `detail` says how we know (shown to the user)."""

    kind: DriveKind
    detail: str = ""


Detector = Callable[[Path], DriveInfo]


def _unescape_mount_field(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def linux_drive(path: Path, mounts_text: str) -> DriveInfo:
    """The drive kind of `path` from the text of /proc/mounts (the longest matching mount point)."""
    target = str(path)
    best: tuple[str, str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, mount_point, fs_type = _unescape_mount_field(parts[0]), _unescape_mount_field(parts[1]), parts[2]
        inside = mount_point == "/" or target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) >= len(best[1])):
            best = (device, mount_point, fs_type)
    if best is None:
        return DriveInfo(DriveKind.UNKNOWN, "找不到所在的挂载点")
    device, mount_point, fs_type = best
    if fs_type in NETWORK_FILESYSTEMS or fs_type.startswith("nfs"):
        return DriveInfo(DriveKind.NETWORK, f"{fs_type} 网络文件系统，挂载于 {mount_point}（{device}）")
    if (mount_point + "/").startswith(REMOVABLE_MOUNT_PREFIXES):
        return DriveInfo(DriveKind.REMOVABLE, f"可移动磁盘，挂载于 {mount_point}（{device}）")
    return DriveInfo(DriveKind.LOCAL, f"{fs_type} 文件系统，挂载于 {mount_point}")


def onedrive_folder(path_text: str, environ: Mapping[str, str]) -> str | None:
    """The OneDrive folder `path_text` lies in (from the variables OneDrive sets), or None."""
    folded = os.path.normcase(path_text.replace("/", "\\")).lower().rstrip("\\") + "\\"
    for name in ONEDRIVE_VARIABLES:
        root = environ.get(name, "").strip()
        if root and folded.startswith(root.replace("/", "\\").lower().rstrip("\\") + "\\"):
            return root
    return None


def windows_drive(path_text: str, drive_type: Callable[[str], int],
                  bus_type: Callable[[str], int | None] = lambda _root: None,
                  environ: Mapping[str, str] | None = None) -> DriveInfo:
    """The drive kind of a Windows path; `drive_type` is GetDriveTypeW, `bus_type` asks the disk's bus
    (IOCTL_STORAGE_QUERY_PROPERTY), `environ` holds OneDrive's variables (all injected so tests run anywhere)."""
    info = _windows_drive(path_text, drive_type, bus_type)
    synced = onedrive_folder(path_text, os.environ if environ is None else environ)
    if synced and info.kind is DriveKind.LOCAL:
        return DriveInfo(DriveKind.DOUBTFUL, f"在 OneDrive 同步文件夹“{synced}”中：同步程序会在数据库写入途中"
                                             "锁住或替换文件，多台电脑同步同一个数据库会丢失数据")
    return info


def _windows_drive(path_text: str, drive_type: Callable[[str], int],
                   bus_type: Callable[[str], int | None]) -> DriveInfo:
    text = path_text.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return DriveInfo(DriveKind.NETWORK, f"网络路径 \\\\{text[8:]}")
    if text.startswith("\\\\?\\"):
        text = text[4:]
    elif text.startswith("\\\\"):
        return DriveInfo(DriveKind.NETWORK, f"网络路径 {text}")
    drive = PureWindowsPath(text).drive
    if not drive:
        return DriveInfo(DriveKind.UNKNOWN, "无法判断所在的盘符")
    root = drive + "\\"
    kind = drive_type(root)
    if kind == DRIVE_REMOTE:
        return DriveInfo(DriveKind.NETWORK, f"{drive} 是映射的网络驱动器")
    if kind in (DRIVE_REMOVABLE, DRIVE_CDROM):
        return DriveInfo(DriveKind.REMOVABLE, f"{drive} 是可移动磁盘")
    if kind == DRIVE_FIXED:
        bus = bus_type(root)
        if bus in (BUS_USB, BUS_1394):
            return DriveInfo(DriveKind.REMOVABLE, f"{drive} 是通过 USB 连接的移动硬盘或 U 盘")
        if bus in (BUS_SD, BUS_MMC):
            return DriveInfo(DriveKind.DOUBTFUL, f"{drive} 可能是 SD 存储卡（也可能是电脑内置的 eMMC 磁盘）")
        return DriveInfo(DriveKind.LOCAL, f"{drive} 是本机磁盘")
    if kind == DRIVE_RAMDISK:
        return DriveInfo(DriveKind.LOCAL, f"{drive} 是本机磁盘")
    return DriveInfo(DriveKind.UNKNOWN, f"无法判断 {drive} 的类型")


def _windows_get_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def _windows_bus_type(root: str) -> int | None:
    """The bus of the disk holding drive `root` ("E:\\"), or None when Windows will not say."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    handle = kernel32.CreateFileW(f"\\\\.\\{root[:2]}", 0, 3, None, 3, 0, None)  # no access needed; share r/w
    if handle in (None, wintypes.HANDLE(-1).value):
        return None
    try:
        query = (ctypes.c_uint32 * 3)(0, 0, 0)  # StorageDeviceProperty, PropertyStandardQuery
        out = (ctypes.c_ubyte * 1024)()
        returned = wintypes.DWORD()
        if not kernel32.DeviceIoControl(wintypes.HANDLE(handle), 0x2D1400, query, ctypes.sizeof(query), out,
                                        ctypes.sizeof(out), ctypes.byref(returned), None):
            return None
        if returned.value < 32:
            return None
        return int.from_bytes(bytes(out[28:32]), "little")  # STORAGE_DEVICE_DESCRIPTOR.BusType
    finally:
        kernel32.CloseHandle(wintypes.HANDLE(handle))


def _existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def detect_drive(path: Path) -> DriveInfo:
    """The platform's answer for `path` (or its nearest existing parent)."""
    if os.name == "nt":
        return windows_drive(str(path.resolve() if path.exists() else Path(os.path.abspath(path))),
                             _windows_get_drive_type, _windows_bus_type)
    if sys.platform.startswith("linux"):
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return DriveInfo(DriveKind.UNKNOWN, "无法读取 /proc/mounts")
        return linux_drive(_existing_ancestor(path).resolve(), mounts)
    return DriveInfo(DriveKind.UNKNOWN, "本系统无法判断磁盘类型")


def check_location(folder: Path, detect: Detector | None = None) -> DriveInfo:
    """Raise StorageRefused when `folder` is on a network or removable drive; else what was found
    (DOUBTFUL: usable, but say so — describe_location has the words)."""
    info = (detect or detect_drive)(folder)
    advice = (f"请把数据文件夹放在本机磁盘上（例如默认位置“{default_data_root()}”，可用 --data-dir 指定）；"
              "要把数据拷到 U 盘或别的电脑，请用“备份到…”。程序没有在这里写入任何文件。")
    if info.kind is DriveKind.NETWORK:
        raise StorageRefused(f"数据文件夹“{folder}”在网络驱动器上（{info.detail}）。数据库放在网络共享盘上，"
                             f"几台电脑同时使用或网络一断就会损坏数据。{advice}")
    if info.kind is DriveKind.REMOVABLE:
        raise StorageRefused(f"数据文件夹“{folder}”在可移动磁盘上（{info.detail}）。U 盘、移动硬盘或存储卡"
                             f"在写入途中拔出会丢失或损坏数据，所以不能在上面保存正在使用的数据库。{advice}")
    return info


def _origin(data_dir: DataDir) -> str:
    """Whether the folder is this Windows user's default one or was named when the program was started."""
    if data_dir.root == default_data_root().expanduser().resolve():
        return "这是本机当前用户的默认数据文件夹（每个 Windows 用户各有一份，互不干扰）。"
    return ("这个文件夹不是默认位置，是启动程序时另行指定的（快捷方式中的 --data-dir，或 LVQI_DATA_DIR 设置）；"
            "换一种方式启动，程序会打开另一份数据。")


def describe_location(data_dir: DataDir, detect: Detector | None = None) -> str:
    """One paragraph for the settings page: where the data is, on what kind of drive, and why."""
    info = (detect or detect_drive)(data_dir.root)
    offsite = (f"自动备份保存在“{data_dir.backups}”，和数据在同一台电脑上；电脑丢失或损坏时备份也会一起丢失，"
               "请定期用“备份到…”拷到 U 盘或别的电脑。")
    origin = _origin(data_dir)
    if info.kind is DriveKind.LOCAL:
        return f"数据保存在这台电脑的硬盘上：“{data_dir.root}”。{origin}{WHY_LOCAL}{offsite}"
    if info.kind is DriveKind.DOUBTFUL:
        return (f"注意：数据文件夹“{data_dir.root}”{info.detail}。程序照常使用它，但建议换到本机磁盘上"
                f"不同步的文件夹（例如默认位置“{default_data_root()}”）。{origin}{WHY_LOCAL}{offsite}")
    if info.kind is DriveKind.UNKNOWN:
        return f"数据保存在“{data_dir.root}”（请确认它在这台电脑的硬盘上）。{origin}{WHY_LOCAL}{offsite}"
    where = "网络驱动器" if info.kind is DriveKind.NETWORK else "可移动磁盘"
    return (f"数据文件夹“{data_dir.root}”在{where}上（{info.detail}），程序不会在这里打开数据库。"
            f"{WHY_LOCAL}请换到本机磁盘上的文件夹。")
