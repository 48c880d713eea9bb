"""The Qt face: widgets, table models and dialogs; talks only to services."""
