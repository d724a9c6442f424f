"""All 98 municipalities are recognised the way people write them."""
import pytest

from training_guidance.municipalities import find_municipality, name_keys


def test_listen_har_98_kommuner_med_unikke_koder_og_navne(kb):
    entries = kb.municipalities.municipalities
    assert len(entries) == 98
    assert len({e.code for e in entries}) == 98
    assert len({e.name for e in entries}) == 98
    assert kb.municipalities.source.document


def test_ingen_to_kommuner_deler_en_stavemaade(kb):
    owner = {}
    for entry in kb.municipalities.municipalities:
        for spelling in [entry.name, *entry.aliases]:
            for key in name_keys(spelling):
                assert owner.setdefault(key, entry.code) == entry.code, (spelling, key)


def test_alle_98_kommuner_findes_med_og_uden_aeoeaa_og_med_kommune_til_sidst(kb):
    for entry in kb.municipalities.municipalities:
        low = entry.name.lower()
        variants = {
            entry.name, low, f"{entry.name} Kommune", f"{low} kommune", low.upper(),
            low.replace("æ", "ae").replace("ø", "oe").replace("å", "aa"),
            low.replace("æ", "a").replace("ø", "o").replace("å", "a"),
            low.replace("-", " "), entry.code, entry.code.lstrip("0"),
        }
        for variant in variants:
            found = find_municipality(variant, kb)
            assert found is not None and found.code == entry.code, variant


@pytest.mark.parametrize("written,code", [
    ("holbæk", "0316"), ("Holbaek Kommune", "0316"), ("holbek", "0316"),
    ("ishøj", "0183"), ("Ishoj", "0183"), ("herlev kommune", "0163"),
    ("Holstebro", "0661"), ("horsens", "0615"), ("Århus", "0751"), ("aarhus", "0751"),
    ("Ålborg", "0851"), ("københavn", "0101"), ("kobenhavn", "0101"), ("høje taastrup", "0169"),
])
def test_almindelige_stavemaader_genkendes(kb, written, code):
    assert find_municipality(written, kb).code == code


@pytest.mark.parametrize("written", ["", "  ", "Narnia", "9999", "Christiansø"])
def test_ukendte_navne_giver_ingen_kommune(kb, written):
    assert find_municipality(written, kb) is None
