"""The contact details an application needs, read from what people type."""
import pytest

from training_guidance.handoff import contact as f
from training_guidance.readability import lix


@pytest.mark.parametrize("text", ["20304050", "20 30 40 50", "2030 4050", "+45 20 30 40 50", "0045 20304050",
                                  "20-30-40-50", "mit nummer er 20 30 40 50", "tlf. 2030 4050 tak"])
def test_danske_telefonnumre_i_mange_former_bliver_til_samme_nummer(text):
    assert f.parse_phone(text) == "20 30 40 50"


@pytest.mark.parametrize("text", ["2030405", "203040506", "12345678", "01234567", "ring til mig", "",
                                  "+46 70 123 45 67", "20304050 eller 30405060"])
def test_forkerte_telefonnumre_giver_en_dansk_forklaring(text):
    with pytest.raises(f.InvalidField, match="8 cifre|kan vi ikke ringe"):
        f.parse_phone(text)


def test_et_cpr_nummer_er_ikke_et_telefonnummer():
    with pytest.raises(f.InvalidField, match="CPR-nummer"):
        f.parse_phone("010145-1234")


@pytest.mark.parametrize("text, name", [("inge hansen", "Inge Hansen"), ("Jeg hedder Søren Ærø-Ågesen", "Søren Ærø-Ågesen"),
                                        ("Anne-Marie O'Neil", "Anne-Marie O'Neil"), ("  bo   li  ", "Bo Li")])
def test_navne_med_danske_bogstaver_og_bindestreg_godtages(text, name):
    assert f.parse_name(text) == name


@pytest.mark.parametrize("text", ["x", "123", "Inge 2", "<script>alert(1)</script>", "a" * 101, "010145-1234"])
def test_noget_der_ikke_er_et_navn_afvises(text):
    with pytest.raises(f.InvalidField):
        f.parse_name(text)


@pytest.mark.parametrize("text", ["Ja", "ja.", "JA!", "nej", "Nej tak", "ok", "jo", "ved ikke", "Hej"])
def test_et_svar_som_ja_eller_nej_er_ikke_et_navn(text):
    with pytest.raises(f.InvalidField, match="for- og efternavn"):
        f.parse_name(text)


@pytest.mark.parametrize("text, name", [("Jan", "Jan"), ("Jens Ja", "Jens Ja"), ("Ole Nej", "Ole Nej"), ("Oksana", "Oksana")])
def test_navne_der_ligner_ja_eller_nej_godtages_stadig(text, name):
    assert f.parse_name(text) == name


def test_e_mail_og_adresse_kan_springes_over():
    assert f.parse_email("spring over") is None and f.parse_address("nej tak") is None
    assert f.parse_email("Inge@Eksempel.DK") == "inge@eksempel.dk"
    with pytest.raises(f.InvalidField):
        f.parse_email("inge at eksempel")
    assert f.parse_address("Søndergade 12, 7500 Holstebro") == "Søndergade 12, 7500 Holstebro"


@pytest.mark.parametrize("text, value", [("formiddag", "formiddag"), ("helst om morgenen", "formiddag"),
                                         ("efter kl 13", "eftermiddag"), ("Eftermiddag", "eftermiddag"),
                                         ("det er lige meget", "hele_dagen"), ("hele dagen", "hele_dagen")])
def test_tidspunktet_for_opkaldet_forstaas(text, value):
    assert f.parse_call_time(text) == value


def test_relationen_skrives_som_folk_skriver_den():
    assert f.parse_relation("jeg er hendes datter") == "datter"
    assert f.parse_relation("Søn") == "søn"
    with pytest.raises(f.InvalidField):
        f.parse_relation("123")


def test_fejlbeskederne_er_let_dansk():
    for text, parse in (("1", f.parse_phone), ("1", f.parse_name), ("x", f.parse_email), ("x", f.parse_address),
                        ("x", f.parse_call_time), ("1", f.parse_relation)):
        with pytest.raises(f.InvalidField) as err:
            parse(text)
        assert lix(str(err.value)) <= 40, str(err.value)
