"""Everything that touches SQL: engine, migrations, unit of work, repositories."""
