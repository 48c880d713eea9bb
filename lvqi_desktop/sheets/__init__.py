"""Reading Excel sheets: workbook reader, sheet extent and column mapping (shared by every import)."""
