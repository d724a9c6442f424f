"""Messages dictated by voice, as speech-to-text writes them: split compounds, numbers as words,
fillers, no punctuation. Read as if typed, they get the answers typed messages get."""
import pytest

from dialogue_helpers import Talk
from training_guidance.answering import answer_question, split_questions
from training_guidance.answering.dictation import as_typed, joined_compounds, spoken_numbers


@pytest.mark.parametrize("said,typed", [
    ("kan hun få gen optræning", "kan hun få genoptræning"),
    ("den vedlige holdende træning", "den vedligeholdende træning"),
    ("han får hjemme hjælpen hver dag", "han får hjemmehjælpen hver dag"),  # "hver dag" is not "hverdag"
    ("en gen optrænings plan fra sygehuset", "en genoptræningsplan fra sygehuset"),
    ("kan jeg få træning igen", "kan jeg få træning igen"),  # "træningigen" stems to "træning": no word
    ("hun er svag igen", "hun er svag igen"),
    # split where the compound has a linking "s", as people write who rarely write
    ("ishøj kvalitet standard genoptræning", "ishøj kvalitetsstandard genoptræning"),
    ("min mor har en genoptræning plan", "min mor har en genoptræningsplan"),
    ("hun har træning hver dag", "hun har træning hver dag"),
])
def test_ord_som_talegenkendelsen_har_delt_saettes_sammen(said, typed):
    assert joined_compounds(said) == typed


@pytest.mark.parametrize("said,typed", [
    ("hun er otte og firs", "hun er 88"),
    ("jeg er en og halvfjerds og bor i Vejle", "jeg er 71 og bor i Vejle"),
    ("efter tolv uger", "efter 12 uger"),
    ("to gange om ugen", "2 gange om ugen"),
    ("en gang om ugen", "en gang om ugen"),       # an article, not a number
    ("vi er to om det", "vi er to om det"),       # "to" counts nothing here
    ("mit barnebarn er ni år", "mit barnebarn er 9 år"),
])
def test_tal_sagt_som_ord_skrives_med_cifre(said, typed):
    assert spoken_numbers(said) == typed


def test_fyldord_falder_vaek():
    assert as_typed("øh min mor øhm hun er faldet") == "min mor hun er faldet"


def test_en_lang_besked_uden_tegn_deles_hvor_spoergsmaalet_begynder():
    message = ("ja hej det er min mor hun er otte og firs og hun har ligget med influenza i tre uger og nu kan "
               "hun knap nok komme op af stolen og vi bor her i holde bæk kan hun få noget gen optræning af "
               "kommunen og hvor tit kommer hun så afsted")
    parts = split_questions(message)
    assert len(parts) == 2
    assert parts[0].endswith("kan hun få noget genoptræning af kommunen")
    assert parts[1] == "hvor tit kommer hun så afsted"
    # a statement with its verb first after "nu" asks nothing: "nu kan hun knap nok komme op"
    assert "nu kan hun knap nok" in parts[0]


def test_en_dikteret_besked_faar_svar_for_den_kommune_den_naevner():
    talk = Talk(strict=False)
    talk.say("ja hej min kone hun er to og firs og tør ikke køre i mørke og jeg kan ikke tage bussen med min "
             "dårlige hofte kan jeg så få kørsel til gen optræningen i hals tebro og hvad koster det")
    text = talk.history[-1].texts
    assert "Holstebro" in text and "Kilde:" in text
    assert talk.state.code == "0661"


def test_et_dikteret_spoergsmaal_finder_det_samme_som_et_skrevet(kb):
    said = answer_question(kb, "min kone vil gerne have massage af fysio terapeuten når hun er til gen optræning",
                           code="0163")
    typed = answer_question(kb, "min kone vil gerne have massage af fysioterapeuten når hun er til genoptræning",
                            code="0163")
    assert [h.key for h in said.hits] == [h.key for h in typed.hits]


@pytest.mark.parametrize("message,count", [
    ("vi ringede til kommunen om gen optræning til min far i tirsdags øh hvor lang tid går der før de ringer "
     "tilbage og kommer de så hjem til ham eller skal han ud et sted", 2),
    ("jeg er datter og min mors gen optræning slutter snart og de snakker om en afslutnings samtale må jeg være "
     "med til den og får hendes læge så at vide hvordan det er gået", 2),
    ("min far er lidt nærig du ved hvad koster det hver gang han kommer og skal han også selv betale for maden", 2),
    # one question: a story and then a question, or two statements joined by "og"
    ("min mor bor alene og klarer det hele selv men nu er hun faldet kan hun få genoptræning", 1),
])
def test_dikterede_spoergsmaal_uden_tegn_deles_hvor_de_er_to(message, count):
    assert len(split_questions(message)) == count, split_questions(message)
