"""A throw-away PostgreSQL cluster for the tests: initdb + pg_ctl as an unprivileged user, on a unix socket only."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PORT = 54329  # only the socket file's name: listen_addresses is empty, nothing listens on TCP
SUPER_PASSWORD = "lvqi-test-super"  # passwords are checked (scram) even on the socket: the wrong-password test


def find_bin_dir() -> Path | None:
    """Debian's /usr/lib/postgresql/<major>/bin (newest), or initdb on PATH; None when PostgreSQL is not installed."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_user_prefix() -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as `nobody` then."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "nobody", "--"]


@dataclass
class PgCluster:
    bin_dir: Path
    root: Path  # holds data/ and the socket
    keep: bool = False  # a kept cluster (the province bench): started again if it exists, stopped without deleting

    @property
    def socket_dir(self) -> Path:
        return self.root

    @property
    def user(self) -> str:
        return "nobody" if os.geteuid() == 0 else "postgres"

    def url(self, database: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        """A postgresql:// address on the socket; the superuser's password unless another role is named."""
        who = user or self.user
        secret = password if password is not None or user else SUPER_PASSWORD
        auth = f"{who}:{secret}" if secret is not None else who
        return f"postgresql://{auth}@/{database}?host={self.socket_dir}&port={PORT}"

    def _run(self, *args: str) -> None:
        subprocess.run([*_as_user_prefix(), *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        data = self.root / "data"
        if not (self.keep and (data / "PG_VERSION").exists()):
            pwfile = self.root / "pw"
            pwfile.write_text(SUPER_PASSWORD + "\n")
            if os.geteuid() == 0:
                shutil.chown(self.root, "nobody")
                shutil.chown(pwfile, "nobody")
            self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-U", self.user, "-E", "UTF8", "--locale=C",
                      "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "--no-sync")
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' -c port={PORT} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        subprocess.run([*_as_user_prefix(), str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"),
                        "-m", "fast" if self.keep else "immediate", "-w", "stop"], capture_output=True,
                       timeout=120, check=False)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(bin_dir: Path, kept_root: Path | None = None) -> PgCluster:
    """A throw-away cluster in a new temporary folder; or, with `kept_root`, the cluster kept there (made if absent)."""
    if kept_root is None:
        root = Path(tempfile.mkdtemp(prefix="lvqi-pg-"))
    else:
        root = kept_root
        root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    cluster = PgCluster(bin_dir, root, keep=kept_root is not None)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
