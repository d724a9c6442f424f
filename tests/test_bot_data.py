"""The bot's data stays in step with the knowledge: the lookup table is generated, not hand-edited."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_lookup  # noqa: E402


def test_opslagstabellen_med_kommuner_er_genereret_fra_vidensbasen():
    assert gen_lookup.TARGET.read_text(encoding="utf-8") == gen_lookup.render(), \
        "run: .venv/bin/python scripts/gen_lookup.py"
