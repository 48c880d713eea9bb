"""吕企台账 (lvqi_desktop): enterprise cultivation ledgers and returns for Lüliang's SME offices."""

from lvqi_desktop._version import program_version

__version__ = program_version()  # the one source is pyproject.toml's [project] version
APP_NAME = "吕企台账"
