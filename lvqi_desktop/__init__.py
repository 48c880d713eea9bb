"""吕企台账 (lvqi_desktop): enterprise cultivation ledgers and returns for Lüliang's SME offices."""

__version__ = "0.1.0"
APP_NAME = "吕企台账"
