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


# --------------------------------------------------------------------------------------------
# Names inside a message (find_mentions, resolve_municipality)
# --------------------------------------------------------------------------------------------
from training_guidance.municipalities import find_mentions, resolve_municipality  # noqa: E402


def _spellings(name: str):
    low = name.lower()
    return {
        name, low, low.replace("æ", "ae").replace("ø", "oe").replace("å", "aa"),
        low.replace("æ", "a").replace("ø", "o").replace("å", "a"), low.replace("-", " "),
    }


def test_alle_98_kommuner_findes_inde_i_en_saetning_paa_alle_maader(kb):
    for entry in kb.municipalities.municipalities:
        for spelling in _spellings(entry.name):
            for text in (f"min mor bor i {spelling} og er faldet", f"hvad koster kørsel i {spelling}?",
                         f"{spelling} Kommune har sagt nej", f"vi bor i {spelling}s kommune"):
                if text == "hvad koster kørsel i vejen?":
                    continue  # "står i vejen": lower-case Vejen needs "bor i" or "Kommune"
                codes = [m.code for m in find_mentions(text, kb)]
                assert codes == [entry.code], (text, codes)


@pytest.mark.parametrize("text,code", [
    ("jeg bor i Århus", "0751"), ("jeg bor i aarhus", "0751"), ("bor i arhus", "0751"),
    ("min far i Holbæks Kommune", "0316"), ("i Høje-Taastrup", "0169"), ("i hoje taastrup", "0169"),
    ("hun bor i høje tåstrup", "0169"), ("kommunekode 0661", "0661"), ("vi hører til 0615", "0615"),
    ("kommunenr. 183", "0183"),
    # small typos in names long enough to be safe
    ("jeg bor i Holstbro", "0661"), ("hvad koster kørsel i horsns", "0615"), ("bor i Silkebrog", "0740"),
    ("min mor i Frederikshavm", "0813"), ("i Sønderbrog kommune", "0540"), ("hun bor i odnse", "0461"),
])
def test_stavemaader_og_smaa_stavefejl_i_en_besked(kb, text, code):
    assert [m.code for m in find_mentions(text, kb)] == [code]


@pytest.mark.parametrize("text", [
    "han står i vejen", "Vejen er lang", "skær en skive brød", "jeg skal koge kartofler",
    "de kommer med to tønder", "jeg har en odder i haven", "hun har feber og brande i kroppen",
    "vi har to stuer", "min mor holder af at gå ture", "hun ligger på Holbæk Sygehus",
    "jeg har ringet 3 gange", "ring på 96 11 48 00", "det koster 57 kr pr. returkørsel fra 2023",
    "Skriv til Stationsvej 35, 7500 Holstebro",
    "hvad koster det?", "min far er 86 år", "hun har en genoptræningsplan", "kan jeg få massage",
    "Horsen", "Holland", "hoster", "Kolding",
])
def test_hverdagsord_og_andre_ord_er_ikke_kommuner(kb, text):
    found = [(m.code, text[m.start:m.end]) for m in find_mentions(text, kb)]
    expected = {"Skriv til Stationsvej 35, 7500 Holstebro": ["0661"], "Horsen": ["0615"], "Kolding": ["0621"]}
    assert [c for c, _ in found] == expected.get(text, []), found


@pytest.mark.parametrize("text,code", [
    ("jeg bor i Vejen", "0575"), ("min mor bor i vejen", "0575"), ("Vejen Kommune", "0575"),
    ("hvad koster kørsel i faxe", "0320"), ("min far i Køge", "0259"), ("bor i koge", "0259"),
    ("vi bor i Skive", "0779"), ("i tønder kommune", "0550"), ("Faxe", "0320"), ("lejre", "0350"),
])
def test_hverdagsord_er_kommuner_naar_de_skrives_som_navne(kb, text, code):
    assert [m.code for m in find_mentions(text, kb)] == [code]


def test_flere_kommuner_i_en_besked(kb):
    text = "min mor bor i Aarhus, men hun skal flytte til Holbæk"
    mentions = find_mentions(text, kb)
    assert [m.code for m in mentions] == ["0751", "0316"]
    assert [text[m.start:m.end] for m in mentions] == ["Aarhus", "Holbæk"]
    assert mentions[0].lives and mentions[1].lives
    other = "Holbæk Kommune har sagt nej"
    assert other[find_mentions(other, kb)[0].end:] == " har sagt nej"


@pytest.mark.parametrize("text,conversation,page,code,named,ambiguous,source", [
    ("hvad koster kørsel i Holbæk", "0661", "0163", "0316", True, False, "text"),
    ("hvad koster kørsel", "0661", "0163", "0661", False, False, "conversation"),
    ("hvad koster kørsel", None, "0163", "0163", False, False, "page"),
    ("hvad koster kørsel", None, None, None, False, False, None),
    ("er der forskel på Holbæk og Horsens", "0661", None, None, True, True, "text"),
    ("jeg bor i Horsens, men jeg er født i Aarhus", "0661", None, "0615", True, False, "text"),
    ("min mor og jeg bor i Aarhus, men hun er flyttet til Holbæk", None, None, None, True, True, "text"),
    ("Holbæk og Holbæk igen", None, None, "0316", True, False, "text"),
    # moved: the new home is the one after "til", with or without "Kommune", in any tense
    ("jeg er lige flyttet fra kalundborg til holbæk, er det nu holbæk jeg skal have træning fra",
     "0661", None, "0316", True, False, "text"),
    ("min mor flyttede fra Aarhus Kommune til Odense i sommer", None, "0316", "0461", True, False, "text"),
    ("vi flyttede til Horsens fra Vejle", None, None, "0615", True, False, "text"),
    ("hun flytter fra Ishøj til Herlev til jul", None, None, None, True, True, "text"),  # not yet: ask
    # a home ahead is asked about only when it is the one written to; else the one written to is
    ("Hvis jeg flytter til Vallensbæk midt i forløbet, kan jeg så blive ved med at træne her?", None, "0183", "0183",
     False, False, "page"),
    ("Jeg flytter fra Frederiksberg til Gentofte i næste måned. Følger min bevilling med?", "0147", None, "0147",
     True, False, "text"),
    ("Min mor træner hos Roskilde Kommune, men hun flytter ind i en lejlighed i Vipperød til januar. Kan hun tage "
     "resten af træningen hos jer?", None, "0316", "0316", True, False, "text"),
    # a hospital's town says where the hospital is, not where they live
    ("min far blev udskrevet fra Hvidovre i går. hvis vi søger i Ishøj, hvornår hører vi noget",
     None, None, "0183", True, False, "text"),
    ("hun er opereret i Vejle, hvad koster kørsel", "0661", None, "0661", False, False, "conversation"),
    ("han er indlagt på Holbæk Sygehus, og vi bor i Horsens", None, None, "0615", True, False, "text"),
    # where someone works is no home
    ("min datter har bil, men hun arbejder i aarhus hele ugen. taeller det", "0661", None, "0661", False, False,
     "conversation"),
    # the web page the writer is on is no home; the relative's town is where the relative lives
    ("jeg sidder paa holbaeks side men det er min far i holstebro det gaelder", None, "0316", "0661", True, False,
     "text"),
    ("Står det på Horsens Kommunes hjemmeside, hvad kørsel koster i Vejle?", None, None, "0630", True, False, "text"),
    # a writer who names the relative's home too asks for the relative
    ("jeg bor i holstebro, men min mor bor i horsens og har fået afslag. kan jeg klage for hende", None, None, "0615",
     True, False, "text"),
    ("Min far bor i Herlev, jeg bor selv i Ishøj. Hvad koster kørsel?", "0183", None, "0163", True, False, "text"),
    ("jeg bor faktisk i holbæk, men min mor bor alene i horsens. hvad koster kørsel", None, None, "0615", True, False,
     "text"),
    ("hun bor nu på plejehjem i Ishøj", "0163", None, "0183", True, False, "text"),
    # the home said after the name: "det er Ishøj vi bor i", "Holbæk, hvor min mor bor"
    ("er havnet paa horsens side, det er ishoej vi bor i. hvad koster koersel", None, "0615", "0183", True,
     False, "text"),
    ("Holbæk, hvor min mor bor. Hvad med Horsens?", None, None, "0316", True, False, "text"),
    # a former home, a stay, a practice or an acquaintance's town is named beside the home: the
    # message's or the conversation's home is asked about
    ("vi er lige flyttet hertil fra Næstved. hvad koster kørsel", None, "0316", "0316", False, False, "page"),
    ("Min far boede i Ringsted indtil i sommer. Får han også hjælp til bad hos jer?", "0316", None, "0316", False,
     False, "conversation"),
    ("I Herlev, hvor min far boede før, fik man 10 uger. Hvor længe varer et forløb hos jer?", "0183", None, "0183",
     False, False, "conversation"),
    ("Vi bor i Brædstrup, men er i vores sommerhus i Thorsminde om sommeren. Hvor skal han træne?", None, None,
     "0615", True, False, "text"),
    ("Min mand får vederlagsfri fysioterapi hos en klinik i Skanderborg. Kan han også få træning hos jer?", None,
     "0615", "0615", False, False, "page"),
    ("Vores nabo, som bor i Kalundborg, påstår at kørsel er gratis. Vi bor i Mørkøv. Hvad koster kørslen?", None,
     None, "0316", True, False, "text"),
    ("Min veninde i Gentofte fik bare et program. Min mand er startet på genoptræning i Herlev. Hvad skal han selv "
     "gøre?", None, None, "0163", True, False, "text"),
    ("min far boede i Ringsted før", None, None, "0329", True, False, "text"),  # nothing else: kept
    # a daughter's home, while the message asks only about "ham": she drives, he trains
    ("min datter bor i silkeborg og kan kun køre ham i weekenden. kan han få kørsel til træningen", None, "0661",
     "0661", False, False, "page"),
    ("min datter bor i silkeborg. kan hun få kørsel til træningen", None, "0661", "0740", True, False, "text"),
    # a sister's town, while the message asks about "ham": she is not the citizen (a wife could be)
    ("Min søster i Albertslund betaler ikke for dagcentret. Min far er visiteret til Aktivitetscentret i Herlev. "
     "Hvad koster det ham?", None, None, "0163", True, False, "text"),
    # a relative telling of another municipality, while the message asks "hos jer"
    ("min bror i slagelse siger at hans kone får massage dernede. kan man også få det hos jer", None, "0316", "0316",
     False, False, "page"),
    ("Min søster i Herlev får kørt sin mand gratis. Min mand træner på lokalcentret her. Er kørslen med hos jer?",
     "0615", None, "0615", False, False, "conversation"),
    # ... but without a municipality addressed, the relative's is asked about
    ("min bror i slagelse siger at han ikke kan få massage. kan han klage", None, None, "0330", True, False, "text"),
    # the family's homes beside the citizen's; a list goes on as it starts
    ("morfar bor ude i vinderup. vi andre bor alle sammen i aarhus så ingen kan køre ham. kan han få kørsel", None,
     None, "0661", True, False, "text"),
    ("Vi børn bor i Aalborg og Esbjerg og kommer ikke så tit. Kan træningen hos jer hjælpe ham?", "0163", None,
     "0163", False, False, "conversation"),
    # a former home wherever it is named; a caseworker's note moving a citizen by kommunekode
    ("Min mor flytter fra Struer ind hos os i januar. Kan hun beholde den hjælp, hun havde i Struer?", None, "0661",
     "0661", False, False, "page"),
    ("Sagsbeh. Skive Kommune: bgr. flytter til kommune 0661 pr. 1/1. Er den gruppe omfattet?", None, None, "0661",
     True, False, "text"),
    # ... but choosing a therapist in a municipality asks that municipality
    ("Må man selv vælge fysioterapeut i Herlev?", "0316", None, "0163", True, False, "text"),
    # the training centre Ishøj's standard names; a name under a letter is no typo of a municipality
    ("Kære Træningscenter Ishøj-Vallensbæk. Hvad er jeres lovgrundlag?", None, None, "0183", True, False, "text"),
    ("Holstebro Kommune. Hvor sender jeg min klage? Ærbødigst Henning Sørensen", None, None, "0661", True, False,
     "text"),
    # ... nor a person's surname after the first name ("Bollerup" is no Ballerup)
    ("Susanne Bollerup tager ikke sin telefon. Hvem ellers kan jeg tale med som pårørende?", None, "0615", "0615",
     False, False, "page"),
    # staying with the writer for a time: the municipality of the stay is asked about
    ("Min mor bor i Odsherred, men hun er hos os i Holbæk et par måneder efter sit fald. Kan hun få genoptræning "
     "hos jer?", None, None, "0316", True, False, "text"),
    # the question names a municipality as such: it is answered for that one
    ("Min mor bor i Kalundborg og er blevet svag. Kan hun få genoptræning hos Holbæk Kommune?", None, None, "0316",
     True, False, "text"),
    ("min mor bor i vallensbaek. gaelder ishoejs regler for genoptraening saa ogsaa for hende", None, None, "0187",
     True, False, "text"),
    # the page of a municipality, alone, is the one asked about
    ("På Holstebro Kommunes hjemmeside står der »kontakt Center for Træning«. Hvad er nummeret?", None, None, "0661",
     True, False, "text"),
])
def test_hvilken_kommune_et_spoergsmaal_handler_om(kb, text, conversation, page, code, named, ambiguous,
                                                   source):
    choice = resolve_municipality(text, conversation, page, kb)
    assert (choice.code, choice.named, choice.ambiguous, choice.source) == (code, named, ambiguous, source)


@pytest.mark.parametrize("text,conversation,page,code", [
    # a son or daughter's own home is not the parent's
    ("jeg er min mors eneste barn og bor i aalborg. kan de ringe til mig", None, "0183", "0183"),
    ("jeg bor selv i Odense, hvad koster kørsel for min far", "0661", None, "0661"),
    ("jeg bor i Odense, hvad koster kørsel for min far", None, None, None),
    # a partner shares the home
    ("Jeg bor i Kolding. Kan min mand på 70 få træning?", None, "0183", "0621"),
    # the relative's home named: theirs
    ("jeg bor i Aalborg og min mor bor i Ishøj", None, None, "0183"),
    ("min far bor i Horsens", None, "0183", "0615"),
    # the citizen writes: their own home
    ("jeg bor i Horsens, hvad koster kørsel", None, "0183", "0615"),
    # a neighbour or a friend told of as an example does not make the writer a relative
    ("Jeg er 71 og bor i Middelfart. Min nabo siger, at der er kommet en ny lov for ældre. Passer det?", None, None,
     "0410"),
    # a writer worn out by caring for a parent asks for the parent's municipality, not of their own training
    ("Jeg er ved at gå helt ned over at passe min far i Odense. Har Odense Kommune nogle pårørendekonsulenter "
     "ligesom dem, jeg har læst om i Horsens?", None, None, "0461"),
])
def test_den_paaroerendes_eget_hjem_er_ikke_borgerens(kb, text, conversation, page, code):
    from training_guidance.answering import message_municipality

    assert message_municipality(kb, text, conversation, page).code == code


def test_og_bor_i_efter_jeg_er_skribentens_hjem(kb):
    assert [m.whose for m in find_mentions("jeg er min fars eneste datter og bor i Aalborg", kb)] == ["writer"]
    assert [m.whose for m in find_mentions("jeg tror min mor er faldet og bor i Horsens", kb)] == [None]


def test_hjemmet_efter_navnet_hoerer_til_den_der_bor_der(kb):
    def read(text):
        return [(m.code, m.lives, m.whose) for m in find_mentions(text, kb)]

    assert read("det er Herlev jeg bor i") == [("0163", True, "writer")]
    assert read("Odense er hvor hun bor") == [("0461", True, "other")]
    # "bor" must end the clause: here Ishøj is the home, not Holbæk
    assert read("Holbæk, vi bor i Ishøj") == [("0316", False, None), ("0183", True, None)]
    assert read("i Holbæk der bor de fleste af os") == [("0316", False, None)]


def test_navne_fundet_i_hele_traeningsdataens_beskeder_er_rigtige(kb):
    """No municipality is read into the NLU examples except where one is written."""
    import re
    from pathlib import Path

    import yaml

    from training_guidance.folding import fold

    root = Path(__file__).resolve().parents[1]
    checked = 0
    for path in [*sorted((root / "bot" / "data").glob("*.yml")), root / "tests" / "nlu" / "test_nlu.yml"]:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            for line in (block.get("examples") or "").splitlines():
                text = re.sub(r"\[([^\]]+)\][({][^)}]*[)}]", r"\1", line.strip().lstrip("- "))
                checked += 1
                for m in find_mentions(text, kb):
                    entry = next(e for e in kb.municipalities.municipalities if e.code == m.code)
                    written = fold(text[m.start:m.end]).replace("-", " ")
                    names = [fold(s).replace("-", " ") for s in [entry.name, *entry.aliases]]
                    assert any(written.startswith(n[:4]) for n in names), (text, written, entry.name)
    assert checked > 1000


@pytest.mark.parametrize("text, page, code", [
    # a place of temporary stay that Herlev's standard names is in Herlev, whatever page it is on
    ("min mor er på midlertidigt ophold på Lærkegaard, kan hun træne der", "0183", "0163"),
    ("far er på aflastning på lille birkholm center. hvad koster kørsel", None, "0163"),
    ("hun er paa laerkegaard center efter faldet", None, "0163"),
    # home named beside it: the home wins ("bor i")
    ("min mor bor i Ballerup og er på ophold på Lærkegaard", None, "0151"),
])
def test_et_sted_som_standarden_naevner_hoerer_til_kommunen(kb, text, page, code):
    assert resolve_municipality(text, None, page, kb).code == code


def test_et_sted_er_aldrig_en_stavefejl_og_bliver_staaende_i_spoergsmaalet(kb):
    from training_guidance.answering import without_names

    assert find_mentions("vi bor på Lærkegårdsvej", kb) == []  # a street, not the centre
    [mention] = find_mentions("hun er på Lærkegaard", kb)
    assert mention.place and mention.code == "0163"
    # the place says what (a temporary stay), so the ranking keeps it; a name says only where
    assert "Lærkegaard" in without_names("kan hun træne på Lærkegaard i Herlev", kb)
    assert "Herlev" not in without_names("kan hun træne på Lærkegaard i Herlev", kb)


def test_rangeringen_fjerner_ogsaa_navne_der_ikke_er_et_hjem(kb):
    from training_guidance.answering import without_names

    # a hospital's town and a workplace are no home (find_mentions skips them), the page gives way to
    # any other municipality named (resolve_municipality), but their names say only where, never what
    # is asked: the ranking must not look for "Horsens"
    text = "er havnet paa horsens side, det er ishoej vi bor i. udskrevet fra Holbæk Sygehus, min søn arbejder i Aarhus"
    assert [(m.code, m.page) for m in find_mentions(text, kb)] == [("0615", True), ("0183", False)]
    assert resolve_municipality(text, None, None, kb).code == "0183"
    blanked = without_names(text, kb).lower()
    assert not any(name in blanked for name in ("horsens", "ishoej", "holbæk", "aarhus"))
    assert "side" in blanked and "sygehus" in blanked


def test_voksne_boerns_hjem_er_ikke_borgerens(kb):
    """"vores børn bor i København" tells where the children live; the husband's training in
    Holstebro is what is asked about."""
    text = ("Jeg passer min mand, der har demens og er blevet svag efter et fald. Vores børn bor i København. "
            "Jeg håber, at I tænker på os pårørende, når I planlægger hans træning i Holstebro.")
    assert resolve_municipality(text, kb=kb).code == "0661"
    assert resolve_municipality("Vores børn bor i København og hjælper os.", kb=kb).code == "0101"


def test_en_slaegtning_der_har_sagt_noget_er_ikke_den_der_spoerges_om(kb):
    """"Min svoger siger, at …": the writer tells of themself and their own home; the brother-in-law
    only said something."""
    from training_guidance.answering import message_municipality
    from training_guidance.understanding import writer_lives_elsewhere

    text = ("Jeg er 64 og bor i Næstved. Min svoger siger, at den nye ældrelov kun gælder for folk på "
            "folkepension, så den har intet med mig at gøre. Er det rigtigt?")
    assert not writer_lives_elsewhere(text)
    assert message_municipality(kb, text).code == "0370"
    # the mother who says something about herself is still the one asked about
    assert writer_lives_elsewhere("min mor siger hun ikke kan få træning i Holbæk, jeg bor i Odense")


@pytest.mark.parametrize("text,code", [
    ("vi bor her i holde bæk kan hun få noget genoptræning", "0316"),
    ("kan jeg så få kørsel til genoptræningen i hals tebro", "0661"),
    ("min far i silke borg skal starte til genoptræning", "0740"),
])
def test_et_navn_der_er_dikteret_i_to_ord_findes(kb, text, code):
    """Speech-to-text splits names ("hals tebro"); after "i"/"fra"/"til" the two words are one name."""
    assert resolve_municipality(text, kb=kb).code == code


@pytest.mark.parametrize("text", [
    "min mor har gigt i alle led og vil gerne træne",   # not Allerød
    "har i åbent i weekenden",                           # not Aabenraa
    "hun bor i et hus med have",
])
def test_to_almindelige_ord_er_ikke_et_kommunenavn(kb, text):
    assert resolve_municipality(text, kb=kb).code is None


@pytest.mark.parametrize("text, page, code", [
    ("min farmor bor alene i et rækkehus i Tølløse, kan hun få genoptræning", None, "0316"),
    ("jeg bor i vinderup og har brug for træning efter et fald", "0615", "0661"),
    ("Borger 69 år, sclerose, bor alene i Gedved. Spørger om vedligeholdende træning", None, "0615"),
    ("min mor bor paa oroe, hvordan kommer hun til holdtræning", None, "0316"),
    # a town in the same message as the municipality's own name: one municipality, not two
    ("min far bor i Brædstrup i Horsens Kommune, hvad koster kørsel", "0316", "0615"),
    # staying with the writer in a town for some weeks: that municipality is asked about ("kan hun
    # træne her?"), and its standard says who must live there (Holbæk: "Du skal bo i Holbæk Kommune")
    ("min mor bor i Ballerup, men er hos os i Jyderup nogle uger", None, "0316"),
    # a stay elsewhere that is not with the writer gives way to the home
    ("min mor bor i Ballerup, men skal bo hos min søster i Jyderup nogle uger", None, "0151"),
])
def test_en_by_i_kommunen_naevner_kommunen(kb, text, page, code):
    assert resolve_municipality(text, None, page, kb).code == code


def test_en_by_er_aldrig_en_stavefejl_og_aldrig_en_anden_kommunes_navn(kb):
    # exact names only: "Tvis" is a town in Holstebro, "tvist" (a dispute) is nothing
    assert resolve_municipality("der er opstået en tvist om min mors træning", kb=kb).code is None
    # a town never takes a municipality's own name or spelling
    owner = {key: e.code for e in kb.municipalities.municipalities for s in [e.name, *e.aliases] for key in name_keys(s)}
    for entry in kb.municipalities.municipalities:
        for town in entry.towns:
            assert all(owner.get(key, entry.code) == entry.code for key in name_keys(town)), town
    assert kb.municipalities.towns_source is not None


@pytest.mark.parametrize("text, code", [
    # two municipalities, no one home: the last question names the one asked
    ("Min mor har sin lejlighed og sin adresse i Lejre, men bor hos os i Jyderup. Kan hun få genoptræning "
     "hos Holbæk Kommune, mens hun bor hos os?", "0316"),
    ("jeg flytter fra ishoej til greve om 3 uger, og jeg er kun halvvejs. kan jeg gøre forløbet færdigt i ishoej",
     "0183"),
    # the last sentence tells, it does not ask: which one is still unclear
    ("Jeg har boet i Odense. Nu er jeg i Vejle.", None),
    # both in the question: unclear
    ("jeg flytter fra horsens til skanderborg, kan jeg blive på holdet i horsens eller skanderborg?", None),
])
def test_spoergsmaalet_afgoer_mellem_to_kommuner_uden_et_hjem(kb, text, code):
    assert resolve_municipality(text, kb=kb).code == code


def test_kommunen_der_skrives_til_er_den_der_spoerges_om(kb):
    # two municipalities, no home: "jeres træningscenter i Ishøj" is the one written to
    text = ("Jeg vil hellere træne hos min egen fysioterapeut i Vallensbæk end på jeres træningscenter i Ishøj, "
            "hvor jeg bare er én ud af mange. Hvorfor må jeg ikke selv vælge?")
    assert resolve_municipality(text, kb=kb).code == "0183"


@pytest.mark.parametrize("text, page, code", [
    # a professional from another municipality writes to this one
    ("Vis. fra Herning: hvilke kriterier lægger I til grund for at bevilge genoptr.?", "0661", "0661"),
    ("Kære Herlev Kommune. Jeg sidder i visitationen i Gladsaxe og sammenligner praksis. Hvad gør I?", None, "0163"),
    ("Kvalitetskonsulent, Silkeborg: udarbejder I en skriftlig plan for hvert forløb?", "0615", "0615"),
    # in the municipality asked about: it is the one asked
    ("Vis. i Vejle Kommune: bgr. 64 år med tidlig Alzheimer. Hører hendes træning under ældreloven?", None, "0630"),
    # a citizen's question about a therapist in a town is no workplace
    ("kan jeg vælge en privat fysioterapeut i holbæk i stedet", None, "0316"),
    ("Må man selv vælge fysioterapeut i Herlev?", "0316", "0163"),
    ("min mor har fået en terapeut fra Herlev Kommune hjem, hvor tit kommer hun?", "0316", "0163"),
])
def test_fagfolks_arbejdssted_er_ikke_borgerens_kommune(kb, text, page, code):
    assert resolve_municipality(text, None, page, kb).code == code
