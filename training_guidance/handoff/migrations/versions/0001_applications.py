"""Applications, audit log and a simple outbox (delivered yes/no).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

from training_guidance.handoff.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(20), unique=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False, index=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("municipality_code", sa.String(4), nullable=False),
        sa.Column("municipality_name", sa.String(100), nullable=False),
        sa.Column("standard_file", sa.String(200)),
        sa.Column("standard_date", sa.Date),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("assessment", sa.JSON, nullable=False),
        sa.Column("deadlines", sa.JSON, nullable=False),
        sa.Column("contact", sa.JSON, nullable=False),
        sa.Column("applicant_role", sa.String(20), nullable=False),
        sa.Column("consent_version", sa.String(20), nullable=False),
        sa.Column("consent_text", sa.Text, nullable=False),
        sa.Column("consent_at", UTCDateTime, nullable=False),
        sa.Column("channel", sa.String(30), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False, index=True),
        sa.Column("reference", sa.String(20), index=True),
        sa.Column("actor", sa.String(30), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("delivered", sa.Boolean, nullable=False, default=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("delivered_at", UTCDateTime),
    )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("audit_log")
    op.drop_table("applications")
