"""The columns of a published ranking that are no scores (`rows.rank_of`, the N of a "06/63" rank;
`rows.change` and `rows.change_text`, the points gained or lost against the previous period;
`rows.rank_change`, the places), so that a ranking's report keeps what it printed. Rows loaded before
this revision have none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("rank_of", sa.Integer()), ("change", sa.Float()), ("change_text", sa.String()),
            ("rank_change", sa.Integer()))


def upgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
