"""The database schema's Alembic migrations (`versions/`), run by `phuluc.load.db.upgrade`.

A new revision, written against a database at head (review what autogenerate finds):

    from alembic import command
    from sqlalchemy import create_engine
    from phuluc.load.db import alembic_config

    with create_engine("sqlite:///phuluc.db").begin() as connection:
        command.revision(alembic_config(connection), "what changes", autogenerate=True,
                         rev_id="0002")
"""
