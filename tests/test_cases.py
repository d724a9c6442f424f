"""Every case in tests/cases/*.yml, run through the engine. Case names are Danish sentences."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from training_guidance.assessment import OUTCOMES, assess

CASE_DIR = Path(__file__).parent / "cases"
DEFAULT_TODAY = dt.date(2026, 11, 23)


def _load_cases():
    for path in sorted(CASE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["municipality"], case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("municipality,case", list(_load_cases()))
def test_case(kb, municipality, case):
    expect = case["expect"]
    today = case.get("today") or DEFAULT_TODAY
    result = assess(case.get("situation") or {}, municipality, today, kb)
    assert expect["outcome"] in OUTCOMES
    reason_ids = [r.id for r in result.reasons]
    caveat_ids = [c.id for c in result.caveats]
    assert result.outcome == expect["outcome"], (reason_ids, result.missing)
    for rid in expect.get("reasons", []):
        assert rid in reason_ids, f"reason {rid!r} missing from {reason_ids}"
    if "failed" in expect:
        assert sorted(r.id for r in result.failed) == sorted(expect["failed"])
    if "missing" in expect:
        assert result.missing == expect["missing"]
    for cid in expect.get("caveats", []):
        assert cid in caveat_ids, f"caveat {cid!r} missing from {caveat_ids}"
    for cid in expect.get("no_caveats", []):
        assert cid not in caveat_ids, f"caveat {cid!r} should not be in {caveat_ids}"
    for cid, words in (expect.get("caveat_texts") or {}).items():
        texts = [c.text for c in result.caveats if c.id == cid]
        assert any(words in t for t in texts), f"caveat {cid!r} does not say {words!r}: {texts}"
    for rid, words in (expect.get("reason_texts") or {}).items():
        texts = [r.text for r in result.reasons if r.id == rid]
        assert any(words in t for t in texts), f"reason {rid!r} does not say {words!r}: {texts}"
    # Every reason and caveat carries a source and Danish text.
    for r in result.reasons:
        assert r.source and r.text
    for c in result.caveats:
        assert c.source and c.text


def test_case_files_cover_all_five_standards(kb):
    codes = {yaml.safe_load(p.read_text(encoding="utf-8"))["municipality"] for p in CASE_DIR.glob("*.yml")}
    assert set(kb.standards) <= codes
