"""Data files (resources/, alembic.ini, migrations/) are found in all three ways the program runs.

- source tree: paths.resource() and storage/migrate.py read them in place;
- installed wheel: resources/ is mapped to share/lvqi_desktop/resources (pyproject data-files) and the
  migrations are package data; checked by building the wheel and importing it from a throw-away venv;
- frozen: PyInstaller sets sys._MEIPASS; the spec's `datas` are laid out in a fake _MEIPASS and both
  paths.resource() and a copy of migrate.py (whose __file__ then lies inside it) must find them there.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

from lvqi_desktop import paths
from lvqi_desktop.storage import migrate

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "lvqi_desktop.spec"
SAMPLE = "reference/lvliang-counties.csv"


def test_source_tree_finds_resources_and_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert paths.resource(SAMPLE) == ROOT / "resources" / SAMPLE
    assert paths.resource("icons/lvqi.png").stat().st_size > 0
    assert paths.resource("icons/lvqi.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    cfg = migrate.alembic_config()
    assert Path(cfg.config_file_name).is_file()
    assert (Path(cfg.get_main_option("script_location")) / "env.py").is_file()
    assert migrate.head_revision() in migrate.known_revisions()


def test_missing_resource_is_a_chinese_error() -> None:
    with pytest.raises(FileNotFoundError, match="找不到程序资源文件"):
        paths.resource("reference/no-such-file.csv")


# ---- frozen (PyInstaller): the spec's data files in a fake _MEIPASS

def spec_datas(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (source, destination folder) pairs installer/lvqi_desktop.spec hands to PyInstaller."""
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: []  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)

    class Stub:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.pure, self.scripts, self.binaries, self.datas = [], [], [], list(kwargs.get("datas", []))

    namespace: dict[str, object] = {"SPECPATH": str(SPEC.parent), "Analysis": Stub, "PYZ": Stub, "EXE": Stub,
                                    "COLLECT": Stub, "__file__": str(SPEC)}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return namespace["datas"]  # type: ignore[return-value]


def lay_out_frozen(datas: list[tuple[str, str]], meipass: Path) -> None:
    for source, dest in datas:
        src = Path(source)
        if src.is_dir():
            shutil.copytree(src, meipass / dest / src.name if dest != src.name else meipass / dest,
                            ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            (meipass / dest).mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, meipass / dest / src.name)


def test_frozen_layout_finds_resources_and_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    meipass = tmp_path / "_internal"
    lay_out_frozen(spec_datas(monkeypatch), meipass)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)

    # resources: _MEIPASS/resources wins over the source tree
    assert paths.resource(SAMPLE) == meipass / "resources" / SAMPLE
    assert paths.resource("icons/lvqi.png") == meipass / "resources" / "icons" / "lvqi.png"
    assert paths.resource(SAMPLE).read_bytes() == (ROOT / "resources" / SAMPLE).read_bytes()

    # migrations: a frozen module's __file__ is _MEIPASS/lvqi_desktop/storage/migrate.pyc
    frozen_migrate = meipass / "lvqi_desktop" / "storage" / "migrate.py"
    shutil.copy2(Path(migrate.__file__), frozen_migrate)
    spec = importlib.util.spec_from_file_location("frozen_migrate_under_test", frozen_migrate)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cfg = module.alembic_config()
    assert Path(cfg.config_file_name) == meipass / "lvqi_desktop" / "storage" / "alembic.ini"
    assert Path(cfg.get_main_option("script_location")) == meipass / "lvqi_desktop" / "storage" / "migrations"
    assert module.head_revision() == migrate.head_revision()
    assert module.known_revisions() == migrate.known_revisions()
    walked = {rev.revision for rev in module.script_directory().walk_revisions()}
    assert walked == migrate.known_revisions()  # Alembic itself reads env.py and every revision file there


# ---- installed wheel

def build_wheel(tmp_path: Path) -> Path:
    """Build the wheel from a copy of the sources (other work in the tree must not leak into build/)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("lvqi_desktop", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    offline = all(importlib.util.find_spec(m) is not None for m in ("setuptools", "wheel"))
    isolation = ["--no-build-isolation"] if offline else []
    out = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, str(src), "-w", str(out)],
                   check=True, capture_output=True, cwd=tmp_path)
    return next(out.glob("lvqi_desktop-*.whl"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_record_lists_resources_and_migrations(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        record = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        listed = {line.split(",")[0] for line in zf.read(record).decode().splitlines()}
    data = next(n.split("/")[0] for n in listed if ".data/" in n)
    for name in ("reference/lvliang-counties.csv", "reference/tier_rules_2026.json", "icons/lvqi.png",
                 "icons/lvqi.ico", "help/manual.html"):
        assert f"{data}/data/share/lvqi_desktop/resources/{name}" in listed
    for name in ("alembic.ini", "migrations/env.py"):
        assert f"lvqi_desktop/storage/{name}" in listed
    versions = {n for n in listed if n.startswith("lvqi_desktop/storage/migrations/versions/")}
    assert {Path(n).stem.split("_")[0] for n in versions} >= set(migrate.known_revisions())


def test_installed_wheel_finds_resources_and_migrations(wheel: Path, tmp_path: Path) -> None:
    """Install the wheel (no deps) into a fresh venv and ask the installed copy where its files are."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    deps = [p for p in sys.path if p.endswith("site-packages")]  # platformdirs, alembic… from this venv, last
    probe = (
        "import json, sys; sys.path.extend(json.loads(sys.argv[1]))\n"
        "import lvqi_desktop\n"
        "from lvqi_desktop import paths\n"
        "from lvqi_desktop.storage import migrate\n"
        "cfg = migrate.alembic_config()\n"
        "print(json.dumps({'package': lvqi_desktop.__file__, 'prefix': sys.prefix,\n"
        "  'sample': str(paths.resource(sys.argv[2])), 'icon': str(paths.resource('icons/lvqi.png')),\n"
        "  'ini': cfg.config_file_name, 'scripts': cfg.get_main_option('script_location'),\n"
        "  'head': migrate.head_revision(),\n"
        "  'walked': sorted(r.revision for r in migrate.script_directory().walk_revisions())}))\n"
    )
    done = subprocess.run([str(python), "-c", probe, json.dumps(deps), SAMPLE], check=True, capture_output=True,
                          text=True, cwd=tmp_path)
    found = json.loads(done.stdout)
    prefix = Path(found["prefix"]).resolve()
    assert prefix == venv.resolve()
    assert Path(found["package"]).resolve().is_relative_to(prefix)
    assert Path(found["sample"]).resolve() == prefix / "share" / "lvqi_desktop" / "resources" / SAMPLE
    assert Path(found["icon"]).resolve().is_relative_to(prefix / "share" / "lvqi_desktop" / "resources")
    assert Path(found["ini"]).resolve().is_relative_to(prefix) and Path(found["ini"]).is_file()
    assert Path(found["scripts"]).resolve().is_relative_to(prefix)
    assert found["head"] == migrate.head_revision()
    assert set(found["walked"]) == migrate.known_revisions()
