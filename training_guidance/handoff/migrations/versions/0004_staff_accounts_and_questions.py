"""Personal staff accounts (local with an argon2 hash, or single sign-on), the questions the
assistant could not answer (for the content owners), and room in the audit log for a staff
member's id (training_guidance/handoff/accounts.py, questions.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from training_guidance.handoff.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("municipalities", sa.JSON, nullable=False),
        sa.Column("password_hash", sa.String(300)),
        sa.Column("issuer", sa.String(300)),
        sa.Column("subject", sa.String(300)),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("last_login_at", UTCDateTime),
        sa.UniqueConstraint("issuer", "subject", name="uq_staff_accounts_issuer_subject"),
    )
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("municipality_code", sa.String(4), index=True),
        sa.Column("asked_on", sa.Date, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False, index=True),
        sa.Column("question", sa.String(500), nullable=False),
        sa.Column("folded", sa.String(500), nullable=False, index=True),
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("actor", existing_type=sa.String(30), type_=sa.String(210), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("actor", existing_type=sa.String(210), type_=sa.String(30), existing_nullable=False)
    op.drop_table("unanswered_questions")
    op.drop_table("staff_accounts")
