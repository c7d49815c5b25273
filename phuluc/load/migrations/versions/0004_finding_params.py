"""The words of a finding besides its figures (`findings.params`, JSON: the criterion, the other
report, the figure named), so that a command renders it again in the language it is asked for
instead of the one it was loaded in. Findings loaded before this revision have none: they render
with what their columns hold.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("params", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("params")
