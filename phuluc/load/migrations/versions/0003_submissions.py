"""What tells which of several reports on one period was sent last, so that the export takes it over
the others: whether a report corrects one sent before (`reports.corrects`: "BÁO CÁO ĐIỀU CHỈNH",
"thay thế Báo cáo số …"), and the running number of its number (`reports.sequence`: "524/BC-UBND" →
524). Reports loaded before this revision are taken as originals; their running numbers are filled in.
And a hash of each row's figures (`rows.figures`), by which the conflict check groups the copies of a
unit's row instead of pairing them; a row loaded before has none and is compared figure by figure.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from phuluc.load.db import sequence

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_REPORTS = sa.table("reports", sa.column("id", sa.Integer()), sa.column("number", sa.String()),
                    sa.column("sequence", sa.Integer()))


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("corrects", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
    with op.batch_alter_table("rows") as batch:
        batch.add_column(sa.Column("figures", sa.String(16), nullable=True))
    connection = op.get_bind()
    numbered = [{"report": id_, "sequence": sequence(number)}
                for id_, number in connection.execute(sa.select(_REPORTS.c.id, _REPORTS.c.number))
                if sequence(number) is not None]
    if numbered:
        connection.execute(_REPORTS.update().where(_REPORTS.c.id == sa.bindparam("report"))
                           .values(sequence=sa.bindparam("sequence")), numbered)


def downgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        batch.drop_column("figures")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("sequence")
        batch.drop_column("corrects")
