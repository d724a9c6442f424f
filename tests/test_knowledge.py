"""The knowledge files: every seed encoded, every item sourced, a broken file fails loudly."""
import re
import shutil
from pathlib import Path

import pytest
import yaml

import datetime as dt

from training_guidance.knowledge import KnowledgeError, Topic, load_knowledge
from training_guidance.knowledge.schema import AmountUnit, DatePrecision, Document, Parameter, PeriodUnit
from training_guidance.pension_age import has_reached_pension_age, pension_age_for
from training_guidance.dialogue.items import sources_line

ROOT = Path(__file__).resolve().parents[1]
# shared/ sits beside a checkout (main) or two levels up (a worktree under wt/).
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.exists()), ROOT.parent / "shared")
SEEDS_README = SHARED / "seeds" / "README.md"
SEED_FILES = {  # from shared/seeds/README.md: file → kommunekode
    "000_32c619fc18708fee.txt": "0316",
    "001_25db8f60fac83294.txt": "0163",
    "002_10e547d715598fc2.txt": "0661",
    "003_197726b401aa4dd1.txt": "0615",
    "004_4f85ca73fc7098b4.txt": "0183",
}


def test_hver_af_de_fem_kvalitetsstandarder_er_kodet_med_sin_kommunekode(kb):
    encoded = {s.document.file: code for code, s in kb.standards.items()}
    assert encoded == SEED_FILES


def test_seed_oversigten_naevner_de_samme_filer_som_vi_har_kodet():
    if not SEEDS_README.exists():
        pytest.skip(f"{SEEDS_README} is not beside this checkout")
    text = SEEDS_README.read_text(encoding="utf-8")
    for file, code in SEED_FILES.items():
        assert file in text and f"({code})" in text


def test_hvert_punkt_har_dansk_tekst_og_en_kilde_i_sin_egen_standard_eller_en_lov(kb):
    laws = ("lov", "Lov", "Vejledning", "vejledning")
    for code, standard in kb.standards.items():
        for offer, topic, item in standard.all_items():
            where = f"{code} {offer} {topic.value} {item.id}"
            assert item.text.strip(), where
            doc = item.source.document
            assert doc == standard.document.file or any(w in doc for w in laws), where
            assert item.source.section.strip(), where
        for offer in standard.offers.values():
            for crit in offer.criteria:
                assert crit.source.section.strip()


def test_seed_afsnit_som_kilderne_naevner_findes_i_seed_filen(kb):
    seeds = SHARED / "seeds"
    if not seeds.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    for standard in kb.standards.values():
        raw = (seeds / standard.document.file).read_text(encoding="utf-8")
        # Undo the PDF extraction's hyphenation across lines ("vig-\n\ntige" → "vigtige").
        text = " ".join(re.sub(r"-\s+", "", raw).split()).lower().replace("-", "")
        for _, _, item in standard.all_items():
            if item.source.document != standard.document.file:
                continue
            # The last part of a "Part – Heading" citation is the heading as the seed writes it.
            heading = item.source.section.split(" – ")[-1].lower().replace("-", "")
            words = [w for w in heading.replace("?", " ").split() if len(w) > 3][:3]
            assert all(w in text for w in words), f"{standard.document.file}: {item.source.section!r}"


def test_de_nationale_regler_har_de_punkter_motoren_og_botten_bruger(kb):
    required = {
        "serviceloven_86_1", "serviceloven_86_2", "serviceloven_88_2", "admitted", "hospital_plan",
        "sundhedsloven_140_start", "sundhedsloven_140a", "child", "temporary_loss", "lasting_need",
        "complaint_deadline", "complaint_how", "reconsideration", "digital_post", "patient_complaints",
        "forvaltningsloven_8", "forvaltningsloven_22", "aeldreloven", "guidance_not_decision",
        "no_standard", "no_offer_for_track", "standard_date_unknown", "personal_data", "working_days",
        "aeldreloven_under_pension_age", "gradual_decline", "admitted_next", "sundhedsloven_140_delivery",
        "free_choice_86", "free_choice_140",
    }
    assert required <= set(kb.national.items)
    deadline = kb.national.items["complaint_deadline"].period
    assert (deadline.value, deadline.unit) == (4, PeriodUnit.weeks)
    assert kb.national.items["aeldreloven"].valid_from.isoformat() == "2025-07-01"


def test_koersel_i_holstebro_koster_57_kr_pr_returkoersel_fra_1_januar_2023(kb):
    for offer in ("stk1", "stk2"):
        item = next(i for i in kb.items("0661", Topic.cost, offer) if i.id == "transport")
        assert item.amount.value == 57 and item.amount.unit is AmountUnit.per_return_trip
        assert item.valid_from.isoformat() == "2023-01-01"
        assert item.source.document == "002_10e547d715598fc2.txt"


def test_holbaek_og_ishoej_beskriver_kun_genoptraening(kb):
    assert set(kb.standards["0316"].offers) == {"stk1"}
    assert set(kb.standards["0183"].offers) == {"stk1"}
    for code in ("0163", "0661", "0615"):
        assert set(kb.standards[code].offers) == {"stk1", "stk2"}


def test_hver_standard_har_pris_og_formaal_og_maalgruppe_for_hvert_tilbud(kb):
    for code, standard in kb.standards.items():
        for key, offer in standard.offers.items():
            have = set(offer.topics) | set(standard.topics)
            for topic in (Topic.legal_basis, Topic.purpose, Topic.target_group, Topic.cost):
                assert topic in have, f"{code} {key} mangler {topic.value}"


def _copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    return target


def test_en_standard_med_et_ukendt_felt_fejler_med_filnavn_og_felt(tmp_path):
    base = _copy_knowledge(tmp_path)
    path = base / "standards" / "holstebro.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["offers"]["stk1"]["topics"]["cost"][0]["pris"] = 57
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(base)
    message = str(err.value)
    assert "holstebro.yml" in message and "offers.stk1.topics.cost.0.pris" in message
    assert "extra fields not permitted" in message


def test_et_punkt_uden_kilde_fejler(tmp_path):
    base = _copy_knowledge(tmp_path)
    path = base / "standards" / "herlev.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["offers"]["stk1"]["topics"]["purpose"][0]["source"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"herlev\.yml.*\n.*purpose\.0\.source: field required"):
        load_knowledge(base)


def test_et_kriterium_med_en_ukendt_oplysning_fejler(tmp_path):
    base = _copy_knowledge(tmp_path)
    path = base / "standards" / "ishoej.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["offers"]["stk1"]["criteria"][0]["fact"] = "skostørrelse"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"ishoej\.yml: field offers\.stk1\.criteria\.0\.fact: unknown fact"):
        load_knowledge(base)


def test_ugyldig_yaml_fejler_med_filnavn(tmp_path):
    base = _copy_knowledge(tmp_path)
    (base / "national.yml").write_text("items: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"national\.yml: not valid YAML"):
        load_knowledge(base)


def test_en_forkert_kommunekode_fejler(tmp_path):
    base = _copy_knowledge(tmp_path)
    path = base / "standards" / "horsens.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["municipality"]["code"] = "9999"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"horsens\.yml: field municipality\.code: '9999' is not a kommunekode"):
        load_knowledge(base)


# --- Dated national values (OpenFisca-style parameters) ---------------------------------------------

def test_folkepensionsalderen_er_en_dateret_parameter_der_afhaenger_af_foedselsdatoen(kb):
    pension = kb.national.parameters["pension_age"]
    today = dt.date(2026, 11, 23)
    for birth, age in ((dt.date(1953, 12, 31), 65), (dt.date(1954, 3, 1), 65.5), (dt.date(1954, 7, 1), 66),
                       (dt.date(1955, 6, 30), 66.5), (dt.date(1955, 7, 1), 67), (dt.date(1962, 12, 31), 67),
                       (dt.date(1963, 1, 1), 68), (dt.date(1966, 12, 31), 68), (dt.date(1967, 1, 1), 69)):
        assert pension_age_for(pension, birth, today) == age, birth
    assert pension.at(today).source.section.startswith("§ 1 a")


def test_motoren_vaelger_den_tabel_for_folkepensionsalderen_der_gjaldt_paa_dagen(kb):
    pension = kb.national.parameters["pension_age"]
    born_1971 = dt.date(1971, 5, 1)
    assert pension_age_for(pension, born_1971, dt.date(2025, 6, 1)) == 69
    assert pension_age_for(pension, born_1971, dt.date(2025, 12, 31)) == 70
    with pytest.raises(ValueError, match="no value in force"):
        pension.at(dt.date(2020, 1, 1))


@pytest.mark.parametrize("age, today, reached", [
    (67, dt.date(2026, 11, 23), True),    # born 1958/59: 67
    (66, dt.date(2026, 11, 23), False),
    (67, dt.date(2027, 11, 24), True),    # the suite's clock a year ahead
    (67, dt.date(2030, 6, 1), None),      # born 1962 (67) or 1963 (68): the birthday decides
    (68, dt.date(2031, 6, 1), True),      # born 1962/63: 67 or 68, both reached
    (67, dt.date(2034, 6, 1), False),     # born 1966/67: 68 or 69
    (66, dt.date(2022, 6, 1), None),      # born 1955 (66½) or 1956 (67): the birthday decides
])
def test_om_en_borger_har_naaet_folkepensionsalderen_afhaenger_af_aargangen(kb, age, today, reached):
    assert has_reached_pension_age(kb.national.parameters["pension_age"], age, today) is reached


def test_en_parameter_uden_vaerdier_fejler():
    with pytest.raises(ValueError, match="at least one dated value"):
        Parameter(description="x", unit="år", source={"document": "Lov", "section": "§ 1"}, values={})


# --- National texts that overstated or were wrong ----------------------------------------------------

def _all_texts(kb):
    for key, item in kb.national.items.items():
        yield f"national {key}", item.text
    for code, standard in kb.standards.items():
        for offer, topic, item in standard.all_items():
            yield f"{code} {offer} {topic.value} {item.id}", item.text
        for key, offer in standard.offers.items():
            for crit in offer.criteria:
                yield f"{code} {key} criterion {crit.id}", crit.text


def test_ingen_tekst_lover_en_ret_til_traening_efter_paragraf_86(kb):
    promise = re.compile(r"skal kommunen tilbyde dig|kommunen skal tilbyde (?:dig|genoptræning, (?:hvis|når))", re.I)
    for where, text in _all_texts(kb):
        assert not promise.search(text), where
    for key in ("serviceloven_86_1", "serviceloven_86_2"):
        text = kb.national.items[key].text
        assert "vurderer" in text and "kan du søge" in text, key
        assert "88, stk. 2" in kb.national.items[key].source.section


def test_paragraf_86_stk_1_udelukker_ikke_den_der_er_udskrevet_uden_en_genoptraeningsplan(kb):
    text = kb.national.items["serviceloven_86_1"].text
    assert "ikke har været indlagt" not in text
    assert "udskrevet uden en genoptræningsplan, kan du også søge" in text


def test_styrelsen_for_patientklager_er_ikke_et_nyt_navn_for_styrelsen_for_patientsikkerhed(kb):
    for where, text in _all_texts(kb):
        assert not re.search(r"hed før|navnet på styrelsen", text, re.I), where
    text = kb.national.items["patient_complaints"].text
    assert "Styrelsen for Patientklager" in text and "findes stadig" in text and "MitID" in text
    ishoej = next(i for i in kb.items("0183", Topic.professional_complaint) if i.id == "patient_safety")
    assert "I dag klager du til Styrelsen for Patientklager" in ishoej.text


def test_alle_kan_kontakte_kommunen_men_en_paaroerende_skal_have_fuldmagt_for_at_handle_i_sagen(kb):
    text = kb.national.items["forvaltningsloven_8"].text
    assert text.startswith("Alle kan kontakte kommunen")
    assert "skriftlig fuldmagt" in text and "søge, klage eller se papirerne" in text
    assert "Kun du selv" not in text


def test_loven_siger_citerer_kun_lovens_egen_tekst(kb):
    # Horsens prints the guidance's "til voksne efter en konkret individuel vurdering" under § 86.
    for where, text in _all_texts(kb):
        for quote in re.findall(r'Loven siger: "([^"]+)"', text):
            assert "til voksne efter en konkret individuel vurdering" not in quote, where
    item = next(i for i in kb.items("0615", Topic.legal_basis, "stk1") if i.id == "section_86_stk1")
    assert "Standarden skriver også, at genoptræning gives til voksne" in item.text


def test_ishoejs_standard_er_dateret_marts_2021_uden_en_opfundet_dag(kb):
    doc = kb.standards["0183"].document
    assert doc.stated_date_precision is DatePrecision.month and doc.stated_date_words() == "marts 2021"
    item = kb.items("0183", Topic.legal_basis)[0]
    shown = sources_line(kb, [item.source])
    assert "marts 2021" in shown and "01.03.2021" not in shown
    horsens = kb.standards["0615"].document
    assert horsens.stated_date_precision is DatePrecision.day
    assert horsens.stated_date_words() == "13. december 2023"


def test_en_dato_med_kun_maaned_giver_den_foerste_i_maaneden_med_praecision_maaned():
    doc = Document(file="x.txt", title="x", stated_date="2021-03")
    assert doc.stated_date == dt.date(2021, 3, 1) and doc.stated_date_precision is DatePrecision.month
    with pytest.raises(ValueError):
        Document(file="x.txt", title="x", stated_date="2021-03", stated_date_precision="day")


def test_genvurdering_og_klagefrist_har_deres_paragraffer_og_ishoejs_28_dage(kb):
    reconsideration = kb.national.items["reconsideration"]
    assert reconsideration.source.document.startswith("Retssikkerhedsloven") and reconsideration.source.section == "§ 66"
    assert (reconsideration.period.value, reconsideration.period.unit) == (4, PeriodUnit.weeks)
    assert "senest 4 uger" in reconsideration.text
    complaint = kb.national.items["complaint_deadline"]
    assert complaint.source.document.startswith("Retssikkerhedsloven") and complaint.source.section == "§ 67"
    ishoej = next(i for i in kb.items("0183", Topic.complaint) if i.id == "reconsideration")
    assert (ishoej.period.value, ishoej.period.unit) == (28, PeriodUnit.days) and "28 dage" in ishoej.text


def test_et_svar_der_kun_findes_under_det_ene_tilbud_siger_hvilket_tilbud(kb):
    # Horsens: "transport er ikke med" is in the part on vedligeholdende træning only; Herlev's
    # transport, deadlines and frequency are in the part on genoptræning only.
    words = {"stk1": "genoptræning", "stk2": "vedligeholdende træning"}
    for code, standard in kb.standards.items():
        if len(standard.offers) < 2:
            continue
        for topic in Topic:
            have = {key: offer.topics.get(topic, []) for key, offer in standard.offers.items()}
            if standard.topics.get(topic) or sum(1 for items in have.values() if items) != 1:
                continue
            key, items = next((k, v) for k, v in have.items() if v)
            for item in items:
                assert words[key] in item.text.lower(), f"{code} {key} {topic.value} {item.id}"
    transport = kb.items("0615", Topic.transport, "stk2")[0]
    assert transport.text.startswith("Ved vedligeholdende træning er kørsel til og fra træning ikke med.")


# --- § 140 and free choice: national items with sources ----------------------------------------------

def test_genoptraening_efter_paragraf_140_gives_af_kommunen_og_syv_dages_reglen_er_rigtig(kb):
    delivery = kb.national.items["sundhedsloven_140_delivery"]
    assert delivery.text.startswith("Det er kommunen, der giver genoptræningen") and delivery.source.section == "§ 140, stk. 1 og 3"
    start = kb.national.items["sundhedsloven_140_start"]
    assert start.source.section == "§ 140, stk. 4"
    for words in ("inden for 7 dage", "privat sted, som KL har en aftale med", "af helbredsmæssige grunde",
                  "ikke træning, der skal foregå på et sygehus"):
        assert words in start.text, words
    assert "sygehuset" not in kb.national.items["hospital_plan"].text.split(".")[-2]


def test_frit_valg_er_forskelligt_efter_paragraf_86_og_paragraf_140(kb):
    guidance = "Vejledning nr. 9538 af 2. juli 2018 om genoptræning og vedligeholdelsestræning i kommuner og regioner"
    no_choice, choice = kb.national.items["free_choice_86"], kb.national.items["free_choice_140"]
    assert "ikke omfattet af frit valg" in no_choice.text and no_choice.source.document == guidance
    assert "000_32c619fc18708fee.txt" in no_choice.source.note and "004_4f85ca73fc7098b4.txt" in no_choice.source.note
    assert "sit eget frie valg" in choice.text and choice.source.document == guidance
    assert choice.source.section.startswith("Kapitel 10")


# --- The questions ---------------------------------------------------------------------------------

def test_spoergsmaalet_om_egen_traening_spoerger_om_anden_traening_kan_give_kraefterne_tilbage(kb):
    fact = kb.facts["can_train_alone"]
    for question in (fact.questions.citizen, fact.questions.relative):
        assert "kræfterne tilbage" in question and "forening" in question and "privat fysioterapeut" in question
        assert not question.startswith("Kan du selv træne")
    assert "give funktionen tilbage" in fact.questions.staff


def test_spoergsmaalet_om_genoptraeningsplan_handler_om_det_nuvaerende_problem(kb):
    fact = kb.facts["hospital_plan"]
    assert "for det, du fejler nu" in fact.questions.citizen
    assert "aktuelle problem" in fact.questions.staff and "gammel plan" in fact.why


def test_forloebet_kan_ogsaa_vaere_svaekket_lidt_efter_lidt(kb):
    assert list(kb.facts["condition_course"].choices) == ["temporary", "gradual", "lasting"]


def test_et_forloeb_i_en_standard_skal_vaere_et_kendt_forloeb(tmp_path):
    base = _copy_knowledge(tmp_path)
    path = base / "standards" / "holbaek.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["offers"]["stk1"]["courses"][0]["course"] = "langsom"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"holbaek\.yml: field offers\.stk1\.courses\.0\.course"):
        load_knowledge(base)


def test_en_datotekst_kraever_et_kriterium_om_maaneder(tmp_path):
    base = _copy_knowledge(tmp_path)
    path = base / "standards" / "ishoej.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["offers"]["stk1"]["criteria"][0]["date_text"] = "Omkring {date}."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"date_text"):
        load_knowledge(base)


def test_et_element_under_begge_tilbud_naevnes_een_gang(kb):
    # Holstebro's standard says the same on transport under stk. 1 and stk. 2
    both = [(i.id, i.text) for offer in ("stk1", "stk2") for i in kb.items("0661", Topic.transport, offer)]
    listed = [(i.id, i.text) for i in kb.items("0661", Topic.transport)]
    assert len(set(both)) < len(both)
    assert len(listed) == len(set(listed)) == len(set(both))
