"""Alembic environment: runs on the connection storage/migrate.py hands over, in batch mode."""

from alembic import context
from sqlalchemy import create_engine

from lvqi_desktop.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is not None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
else:  # `alembic` command line during development: -x db=PATH
    db = context.get_x_argument(as_dictionary=True).get("db", "dev.sqlite3")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
