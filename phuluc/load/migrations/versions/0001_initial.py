"""The initial schema: one row per ingested file in `reports` (unique by sha256) and its tables,
criteria, rows, values, findings and body statements; the register units the rows name.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _parent(column: str, table: str, child: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    """The child's reference to its parent row, deleted with it."""
    return (
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{child}_{column}_{table}")),
    )


def upgrade() -> None:
    op.create_table(
        "reports",
        _id(),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("issuer", sa.String(), nullable=True),
        sa.Column("issuer_code", sa.String(), nullable=True),
        sa.Column("province", sa.String(), nullable=True),
        sa.Column("number", sa.String(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("framework", sa.String(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_period"), "reports", ["period"])
    op.create_index(op.f("ix_reports_sha256"), "reports", ["sha256"], unique=True)

    op.create_table(
        "units",
        _id(),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("era", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=True),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("parent", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("code", "era", name=op.f("uq_units_code_era")),
    )

    op.create_table(
        "findings",
        _id(),
        *_parent("report_id", "reports", "findings"),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("unit_raw", sa.String(), nullable=True),
        sa.Column("expected", sa.String(), nullable=True),
        sa.Column("actual", sa.String(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("table_position", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_report_id"), "findings", ["report_id"])
    op.create_index(op.f("ix_findings_rule"), "findings", ["rule"])

    op.create_table(
        "statements",
        _id(),
        *_parent("report_id", "reports", "statements"),
        sa.Column("scope", sa.String(), nullable=True),
        sa.Column("rating", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("units", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
    )
    op.create_index(op.f("ix_statements_report_id"), "statements", ["report_id"])

    op.create_table(
        "tables",
        _id(),
        *_parent("report_id", "reports", "tables"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("pages", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tables")),
    )
    op.create_index(op.f("ix_tables_report_id"), "tables", ["report_id"])

    op.create_table(
        "criteria",
        _id(),
        *_parent("table_id", "tables", "criteria"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=True),
        sa.Column("max", sa.Float(), nullable=True),
        sa.Column("key", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria")),
    )
    op.create_index(op.f("ix_criteria_table_id"), "criteria", ["table_id"])

    op.create_table(
        "rows",
        _id(),
        *_parent("table_id", "tables", "rows"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stt", sa.String(), nullable=True),
        sa.Column("section", sa.String(), nullable=True),
        sa.Column("unit_raw", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("unit_code", sa.String(), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("total_text", sa.String(), nullable=True),
        sa.Column("total_max", sa.Float(), nullable=True),
        sa.Column("converted", sa.Float(), nullable=True),
        sa.Column("converted_text", sa.String(), nullable=True),
        sa.Column("rating", sa.String(), nullable=True),
        sa.Column("rating_raw", sa.String(), nullable=True),
        sa.Column("avg_staff", sa.Float(), nullable=True),
        sa.Column("rank", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("is_total_row", sa.Boolean(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rows")),
    )
    op.create_index(op.f("ix_rows_table_id"), "rows", ["table_id"])
    op.create_index(op.f("ix_rows_unit"), "rows", ["unit"])
    op.create_index(op.f("ix_rows_unit_code"), "rows", ["unit_code"])

    op.create_table(
        "values",
        _id(),
        *_parent("row_id", "rows", "values"),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("unlabeled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_values")),
    )
    op.create_index(op.f("ix_values_row_id"), "values", ["row_id"])


def downgrade() -> None:
    for table in ("values", "rows", "criteria", "tables", "statements", "findings", "units",
                  "reports"):
        op.drop_table(table)
