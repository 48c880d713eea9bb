"""The 企业诉求 page: board, tables, detail and progress steps."""
