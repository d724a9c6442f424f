"""The knowledge files: every seed encoded, every item sourced, a broken file fails loudly."""
import re
import shutil
from pathlib import Path

import pytest
import yaml

from training_guidance.knowledge import KnowledgeError, Topic, load_knowledge
from training_guidance.knowledge.schema import AmountUnit, PeriodUnit

ROOT = Path(__file__).resolve().parents[1]
SEEDS_README = ROOT.parent / "shared" / "seeds" / "README.md"
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
    seeds = ROOT.parent / "shared" / "seeds"
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
