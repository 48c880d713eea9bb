"""A result row (or select) of any columns, as repositories hand rows to services; its attributes are untyped."""

from __future__ import annotations

from typing import Any
from typing import TypeAlias

from sqlalchemy import Row
from sqlalchemy import Select

AnyRow: TypeAlias = Row[*tuple[Any, ...]]
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
