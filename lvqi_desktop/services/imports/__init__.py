"""Excel imports (导入): reading a ledger, checking every row (dry run) and importing it."""
