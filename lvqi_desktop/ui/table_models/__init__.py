"""Qt table models over plain service rows (named table_models/ so it is never confused with lvqi_desktop/models/)."""
