"""Staff sessions and rate limits, shared by every web server and action server
(training_guidance/handoff/security.py): random session tokens (only their hash is stored) with a
logout that survives restarts, and the events that login back-off and application limits count.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from training_guidance.handoff.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
        sa.Column("revoked_at", UTCDateTime),
    )
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bucket", sa.String(100), nullable=False, index=True),
        sa.Column("at", UTCDateTime, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("rate_events")
    op.drop_table("staff_sessions")
