import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def kb():
    from training_guidance.knowledge import load_knowledge

    return load_knowledge()
