"""Print how many events the tracker store (TG_TRACKER_URL) holds for one sender id."""
import sys

import sqlalchemy as sa

from training_guidance.handoff.conversations import tracker_url_from_env


def main(sender: str) -> int:
    engine = sa.create_engine(tracker_url_from_env(), future=True)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("events"):
                print(0)
                return 0
            count = conn.execute(sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    finally:
        engine.dispose()
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
