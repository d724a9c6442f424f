"""CPR numbers, every way people write them, are masked; phone numbers, dates, prices, times and
references survive (training_guidance/cpr.py)."""
import pytest

from training_guidance.cpr import CPR_MASK, contains_cpr, mask_cpr, mask_values

NBSP, NB_HYPHEN, EN_DASH, ZWSP, SOFT_HYPHEN = "\u00a0", "\u2011", "\u2013", "\u200b", "\u00ad"

# Each is written inside a sentence; the whole number must go, and nothing else.
FORMATS = [
    "0101451234",
    "010145-1234",
    "010145 1234",
    "13 03 72 47 11",             # the review's first example
    "14.03.72-4711",
    "15/03/72-4711",
    "cpr-160372-4711",
    "CPR-nr.-1703724711",
    "180372-4711-",
    f"190372{EN_DASH}4711",
    f"200372{NB_HYPHEN}4711",
    f"210372{ZWSP}4711",
    "220372_4711",
    "230372 - 4711",
    "240372  4711",               # two spaces
    f"250372{NBSP}4711",
    f"26{NBSP}03{NBSP}72{NBSP}4711",
    "270372\u20144711",           # em dash
    "280372\u22124711",           # minus sign
    "290372\u20104711",           # hyphen
    "300372\uff0d4711",           # fullwidth hyphen-minus
    "31.03.72 4711",
    "01-04-72-4711",
    "02.04.1972-4711",            # a four-digit year
    "03041972 4711",
    "04/04/1972 - 4711",
    "0504 72 4711",
    "06 0472 4711",
    "070472 47 11",
    f"080472{SOFT_HYPHEN}4711",
    f"0{ZWSP}9{ZWSP}0{ZWSP}4{ZWSP}7{ZWSP}2{ZWSP}4{ZWSP}7{ZWSP}1{ZWSP}1",  # zero-width space between every digit
    "10\u200d04\u200d72\u200d4711",  # zero-width joiner
    "\u200e110472-4711\u200f",     # direction marks around it
    "12.04.72.4711",
    "13_04_72_4711",
    "14\\04\\72-4711",
    "15,04,72,4711",
    "16. 04. 72-4711",
    "170472\u20094711",           # thin space
    "180472\u202f4711",           # narrow no-break space
    "190472\n4711",               # a line break between the parts
    "(200472-4711)",
    "cpr:2104724711.",
    "x2204724711y",               # letters right next to it
    "290200-1234",                # 29 February in a year divisible by four
    "311299-9999",
    "\uff10\uff11\uff10\uff11\uff14\uff15\uff11\uff12\uff13\uff14",  # fullwidth digits
    "CPR nr. 01-01-45 12 34",
]

KEPT = [
    "ring på 12 34 56 78",
    "ring på 12345678",
    "+45 20304050",
    "+45 20 30 40 50",
    "0045 20304050",
    "+4531129912",
    "tlf. 20 30 40 50 / 12 34 56 78",
    "hun er født 01.01.1945",
    "01-01-45",
    "den 1. januar 1945",
    "010145",
    "udskrevet 24.12.26 14.30",
    "udskrevet 24.12.2026 kl. 14.30",
    "24.12.2026 14:30",
    "24.12.2026 14.30",
    "reference TG-2026-000123",
    "TG-2026-010145",
    "det koster 1.234,50 kr.",
    "12.500 kr. om året",
    "1.234.567,89 kr",
    "320145-1234 er ikke en dato",
    "011345-1234 har ingen måned 13",
    "290201-1234 (2001 var ikke et skudår)",
    "hun er 82 og bor i 7500 Holstebro",
    "postnummer 7500, tlf 97 42 12 34",
    "12 34 56 78 90",
    "01012345678901",             # 14 digits in a row
    "ring mellem 8 og 16",
    "version 3.6.21",
]


@pytest.mark.parametrize("number", FORMATS, ids=[repr(f) for f in FORMATS])
def test_et_cpr_nummer_fjernes_uanset_hvordan_det_er_skrevet(number):
    text = f"min mor har {number} og er faldet"
    masked, found = mask_cpr(text)
    assert found and CPR_MASK in masked
    assert masked.startswith("min mor har ") and masked.endswith(" og er faldet")
    assert not any(c.isdigit() for c in masked), masked
    assert contains_cpr(text) and not contains_cpr(masked)


def test_mindst_40_skrivemaader_testes():
    assert len(FORMATS) >= 40 and len(set(FORMATS)) == len(FORMATS)


@pytest.mark.parametrize("text", KEPT, ids=KEPT)
def test_telefonnumre_datoer_priser_og_referencer_bliver(text):
    assert mask_cpr(text) == (text, False)


def test_to_cpr_numre_i_samme_tekst_fjernes_begge():
    masked, found = mask_cpr("mor 010145-1234, far 13 03 72 47 11, tlf 20 30 40 50")
    assert found and masked == f"mor {CPR_MASK}, far {CPR_MASK}, tlf 20 30 40 50"


def test_et_cpr_nummer_lige_efter_et_tal_der_ikke_er_en_dato_findes_alligevel():
    """A failed candidate must not hide a real number that starts a digit group later."""
    masked, found = mask_cpr("99 010145 1234")
    assert found and masked == f"99 {CPR_MASK}"


def test_alle_tekster_i_en_struktur_maskeres_ogsaa_noeglerne():
    value = {"note": "cpr 010145-1234", "liste": ["ok", "13.03.72-4711"], "010145-1234": 5, "tal": 82, "tom": None}
    masked, found = mask_values(value)
    assert found
    assert masked == {"note": f"cpr {CPR_MASK}", "liste": ["ok", CPR_MASK], CPR_MASK: 5, "tal": 82, "tom": None}
    assert mask_values({"kommune": "0661"}) == ({"kommune": "0661"}, False)


def test_understanding_eksporterer_stadig_den_samme_funktion():
    from training_guidance import understanding

    assert understanding.mask_cpr is mask_cpr and understanding.CPR_MASK == CPR_MASK


def test_modulet_har_ingen_afhaengigheder_uden_for_standardbiblioteket():
    import ast
    import sys
    from pathlib import Path

    import training_guidance.cpr as cpr

    tree = ast.parse(Path(cpr.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


# --- the application's fields ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["cpr-120472-4711@evil.dk", "inge.120472-4711@eksempel.dk", "13 03 72 47 11",
                                  f"inge@eksempel.dk 120472{EN_DASH}4711"])
def test_en_e_mail_med_et_cpr_nummer_afvises_med_en_advarsel(text):
    from training_guidance.handoff import contact

    with pytest.raises(contact.InvalidField, match="CPR-nummer"):
        contact.parse_email(text)


@pytest.mark.parametrize("text", ["Vestergade 1, cpr 13.04.72-4711", "Vestergade 1, 7500 Holstebro 130472_4711",
                                  f"Vestergade 1{NBSP}130472{NBSP}4711", "Vestergade 1, [CPR-nummer fjernet]"])
def test_en_adresse_med_et_cpr_nummer_afvises_med_en_advarsel(text):
    from training_guidance.handoff import contact

    with pytest.raises(contact.InvalidField, match="CPR-nummer"):
        contact.parse_address(text)


def test_gyldige_e_mails_og_adresser_med_tal_godtages_stadig():
    from training_guidance.handoff import contact

    assert contact.parse_email("inge1945@eksempel.dk") == "inge1945@eksempel.dk"
    assert contact.parse_address("Søndergade 12, 2. th., 7500 Holstebro") == "Søndergade 12, 2. th., 7500 Holstebro"


def test_posten_maskerer_hvert_felt_ogsaa_samtykketekst_kanal_og_relation():
    import datetime as dt

    from training_guidance.handoff.consent import CONSENT_VERSION, privacy_notice
    from training_guidance.handoff.record import build_draft
    from training_guidance.knowledge import cached_knowledge

    draft = build_draft(
        cached_knowledge(), "0661", {"age": 82, "note": "cpr 13.03.72-4711"},
        {"citizen_name": "Inge Hansen", "phone": "20 30 40 50", "call_time": "formiddag"},
        {"role": "relative", "relation": "datter", "fuldmagt": "ja"},
        privacy_notice("Holstebro", 90, 30) + " 13 03 72 47 11", CONSENT_VERSION,
        dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone.utc), "rest 130372-4711", dt.date(2026, 11, 23),
    )
    stored = draft.json()
    assert not contains_cpr(stored) and stored.count(CPR_MASK) == 3


# --- the end-to-end scan's own rule (tests/cpr_scan.py) ---------------------------------------------

def test_skanningen_finder_cpr_numre_i_json_escapes_databaser_og_logfiler_men_ikke_i_id(tmp_path):
    import json
    import sqlite3

    from cpr_scan import scan

    db = sqlite3.connect(tmp_path / "tracker.db")
    db.execute("CREATE TABLE events (sender_id TEXT, data TEXT, timestamp REAL)")
    db.execute("INSERT INTO events VALUES (?, ?, ?)", ("d5f6c1e2-0b7a-4c1e-9f3a-2b8c7d6e5f40",
               json.dumps({"text": f"cpr 130372{EN_DASH}4711", "message_id": "115f1ae76f424664aba6c0703982939c"}),
               1703724711.5))
    db.execute("INSERT INTO events VALUES (?, ?, ?)", ("a" * 32 + ".0703982939" + "b" * 22, "{}", 1.0))
    db.commit()
    db.close()
    (tmp_path / "rasa.log").write_text('INFO x text="min far 14.03.72-4711" y\n2026-11-23 10:00:00,123 ok\n')
    (tmp_path / "ok.log").write_text("reference TG-2026-000123, tlf 20 30 40 50, 0703982939abcdef" + "0" * 26 + "\n")
    leaks, read = scan(tmp_path)
    assert read == 4
    assert {where for where, _ in leaks} == {"rasa.log", "tracker.db:events"}
