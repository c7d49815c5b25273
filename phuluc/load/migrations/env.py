"""Alembic's environment. It migrates the connection `phuluc.load.db.alembic_config` hands it
(inside the caller's transaction), so no alembic.ini or URL is read; SQLite alters tables in batch
mode."""

from alembic import context

from phuluc.load.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
