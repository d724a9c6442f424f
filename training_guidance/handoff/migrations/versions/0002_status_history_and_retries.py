"""Status history, who applied (relation, fuldmagt), and an outbox entry per target with retries.

Existing rows are carried over: each application gets its current status as its first history
entry, its role becomes the applicant record, and each outbox row becomes a 'folder' delivery
(the only target 0001 knew), delivered or pending as it was.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

from training_guidance.handoff.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("note", sa.String(300)),
    )
    op.execute(
        "INSERT INTO status_history (application_id, status, at, note) "
        "SELECT id, status, updated_at, 'overført fra tidligere version' FROM applications"
    )

    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("applicant", sa.JSON, nullable=True))
    applications = sa.table("applications", sa.column("id", sa.Integer), sa.column("applicant_role", sa.String),
                            sa.column("applicant", sa.JSON))
    conn = op.get_bind()
    for row_id, role in conn.execute(sa.select(applications.c.id, applications.c.applicant_role)).fetchall():
        conn.execute(applications.update().where(applications.c.id == row_id).values(applicant={"role": role}))
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("applicant", existing_type=sa.JSON, nullable=False)

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("target", sa.String(20), nullable=False, server_default="folder"))
        batch.add_column(sa.Column("state", sa.String(20), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(500)))
    op.execute("UPDATE outbox SET state = CASE WHEN delivered THEN 'delivered' ELSE 'pending' END, "
               "next_attempt_at = created_at")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("delivered")
        batch.alter_column("next_attempt_at", existing_type=UTCDateTime, nullable=False)
        batch.alter_column("target", server_default=None)
        batch.alter_column("state", server_default=None)
        batch.create_unique_constraint("uq_outbox_application_target", ["application_id", "target"])
        batch.create_index("ix_outbox_state", ["state"])
        batch.create_index("ix_outbox_next_attempt_at", ["next_attempt_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_next_attempt_at")
        batch.drop_index("ix_outbox_state")
        batch.drop_constraint("uq_outbox_application_target", type_="unique")
        batch.add_column(sa.Column("delivered", sa.Boolean, nullable=False, server_default=sa.false()))
    op.execute("UPDATE outbox SET delivered = (state = 'delivered')")
    with op.batch_alter_table("outbox") as batch:
        for column in ("last_error", "next_attempt_at", "attempts", "state", "target"):
            batch.drop_column(column)
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("applicant")
    op.drop_table("status_history")
