"""Questions the assistant could not answer (training_guidance/handoff/questions.py), on SQLite and
PostgreSQL: stored from a reply's meta with CPR numbers masked, no sender id, the kommunekode and the
date; counted per municipality, newest first; purged with the chats, each municipality by its own period."""
import datetime as dt

import sqlalchemy as sa

from training_guidance.handoff import questions as q
from training_guidance.handoff.config import HandoffConfig
from training_guidance.handoff.retention import purge_all


def store_for(record_store, clock):
    return q.QuestionStore(record_store.engine, clock=clock)


def test_et_ubesvaret_spoergsmaal_gemmes_uden_cpr_og_uden_afsender(record_store, clock):
    questions = store_for(record_store, clock)
    assert questions.note("Kan min mor 010145-1234 få  hjælp til   havearbejde?", "0661")
    assert not questions.note("   ", "0661")
    with record_store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM unanswered_questions")).mappings().one()
    assert row["question"] == "Kan min mor [CPR-nummer fjernet] få hjælp til havearbejde?"
    assert row["municipality_code"] == "0661" and str(row["asked_on"]) == "2026-11-23"
    assert set(row.keys()) == {"id", "municipality_code", "asked_on", "created_at", "question", "folded"}


def test_kun_svar_uden_fund_gemmes_og_en_fejl_i_registret_stopper_aldrig_svaret(record_store, monkeypatch):
    assert not q.note_unanswered({"question": "hvad koster kørsel", "code": "0661", "found": True}, record_store.url)
    assert not q.note_unanswered({"outcome": "stk1"}, record_store.url)
    assert q.note_unanswered({"question": "må jeg tage hunden med", "code": "0661", "found": False}, record_store.url)
    assert not q.note_unanswered({"question": "x", "code": "0661", "found": False}, "postgresql://tg:tg@127.0.0.1:1/ingen")
    assert [s.question for s in q.QuestionStore(record_store.engine).summary()] == ["må jeg tage hunden med"]


def test_adapteren_gemmer_hvert_svar_uden_fund(monkeypatch):
    from bot.actions import adapter

    seen = []
    monkeypatch.setattr(adapter, "note_unanswered", seen.append)
    adapter.count({"question": "må jeg tage hunden med", "code": "0661", "found": False})
    adapter.count({"question": "hvad koster kørsel", "code": "0661", "found": True})
    adapter.count({"outcome": "stk1", "code": "0661"})
    assert [m["question"] for m in seen] == ["må jeg tage hunden med", "hvad koster kørsel"]  # found is checked inside


def test_gentagelser_taelles_per_kommune_nyeste_foerst(record_store, clock):
    questions = store_for(record_store, clock)
    questions.note("Må jeg tage hunden med?", "0661")
    clock.advance(days=1)
    questions.note("må jeg tage  hunden med", "0661")
    questions.note("Må jeg tage hunden med?", "0615")
    clock.advance(days=1)
    questions.note("Er der parkering ved træningscentret?", "0661")
    questions.note("hvad med min kat", None)
    summary = questions.summary({"0661"})
    assert [(s.question, s.count, s.first_asked.isoformat(), s.last_asked.isoformat()) for s in summary] == [
        ("Er der parkering ved træningscentret?", 1, "2026-11-25", "2026-11-25"),
        ("må jeg tage hunden med", 2, "2026-11-23", "2026-11-24"),  # the latest wording
    ]
    assert {(s.municipality_code, s.count) for s in questions.summary()} == {
        ("0661", 1), ("0661", 2), ("0615", 1), (None, 1)}
    assert questions.summary(frozenset()) == []


def test_spoergsmaalene_slettes_med_samtalerne_hver_kommune_efter_sin_frist(record_store, clock, tmp_path):
    path = tmp_path / "kommuner.yml"
    path.write_text("""
defaults: {chat_retention_days: 45}
municipalities:
  "0661": {name: Holstebro, folder: ud/0661, chat_retention_days: 30}
  "0615": {name: Horsens, folder: ud/0615, chat_retention_days: 14}
""", encoding="utf-8")
    config = HandoffConfig.from_env({"TG_MUNICIPALITIES_FILE": str(path), "TG_DATA_DIR": str(tmp_path)})
    questions = store_for(record_store, clock)
    for code in ("0661", "0615", None):
        questions.note(f"spørgsmål fra {code}", code)
    clock.advance(days=20)  # past Horsens' 14 days only
    done = purge_all(record_store, 90, 45, tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}", config=config)
    assert done.questions == 1
    assert {s.municipality_code for s in questions.summary()} == {"0661", None}
    clock.advance(days=20)  # 40 days: past Holstebro's 30, not the default 45
    assert purge_all(record_store, 90, 45, tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
                     config=config).questions == 1
    clock.advance(days=10)
    purge_all(record_store, 90, 45, tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}", config=config)
    assert questions.summary() == []


def test_uden_kommunefil_gaelder_den_faelles_frist(record_store, clock, tmp_path):
    questions = store_for(record_store, clock)
    questions.note("et spørgsmål", "0661")
    clock.advance(days=29)
    assert purge_all(record_store, 90, 30, tracker_url=f"sqlite:///{tmp_path / 't.db'}").questions == 0
    clock.advance(days=2)
    assert purge_all(record_store, 90, 30, tracker_url=f"sqlite:///{tmp_path / 't.db'}").questions == 1


def test_den_danske_dato_bruges_ogsaa_lige_foer_midnat(record_store):
    late = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.timezone.utc)  # 00:30 on the 24th in Denmark
    questions = q.QuestionStore(record_store.engine, clock=lambda: late)
    questions.note("sent spørgsmål", "0661")
    assert questions.summary()[0].last_asked == dt.date(2026, 11, 24)


def test_to_spoergsmaal_uden_svar_i_en_besked_faar_et_svar_og_gemmes_begge(record_store):
    """"hvad er tlf nr og hvornår har I åbent" in Ishøj, whose standard says neither: the citizen
    reads "står ikke" once, the content owners see both questions."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dialogue_helpers import Talk

    talk = Talk(page="0183")
    replies = talk.say("hvad er tlf nr og hvornaar har i aabent")
    not_found = [r for r in replies if r.key == "answer_not_found"]
    assert len(not_found) == 1 and "Ishøj" in not_found[0].text
    assert q.note_unanswered(not_found[0].meta, record_store.url)
    assert sorted(s.question for s in q.QuestionStore(record_store.engine).summary()) == [
        "hvad er tlf nr", "hvornaar har i aabent"]


def test_det_ubesvarede_spoergsmaal_gemmes_uden_historien_foer_det():
    """The situation before a question is ranked with it, but only the question is noted for the
    content owners: "min far er 90 og har demens" is the citizen's health, not a question."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dialogue_helpers import Talk

    talk = Talk(page="0183")
    replies = talk.say("min far er 90 og har demens. hvad er tlf nr")
    [not_found] = [r for r in replies if r.key == "answer_not_found"]
    assert not_found.meta["question"] == "hvad er tlf nr"
