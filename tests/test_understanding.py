"""Free Danish messages and replies are understood the way citizens and relatives write them."""
import pytest

from training_guidance.understanding import DONT_KNOW, INVALID, NEVER, mask_cpr, parse_answer, stated_age, understand

# Expected values: fact ids, plus "kommune", "relation" and "writer". "absent" lists facts that
# must not be set (a wrong fact is worse than a missing one).
UNDERSTAND = [
    # --- several facts at once, realistic messages ---
    ("min mor på 82 i Holbæk har haft influenza og er blevet meget svag",
     {"age": 82, "kommune": "0316", "condition_course": "temporary", "relation": "din mor",
      "writer": "relative"}, []),
    ("Hej. Jeg skriver fordi min far paa 79 aar, som bor i Herlev, faldt i sidste uge paa vej ud af "
     "badevaerelset. Han har ikke vaeret indlagt, men han er blevet meget daarlig til at gaa og kan "
     "ikke traene selv. Han vil gerne traene, han er meget motiveret.",
     {"age": 79, "kommune": "0163", "condition_course": "temporary", "admitted_to_hospital": False,
      "can_train_alone": False, "motivated": True, "relation": "din far", "writer": "relative"}, []),
    ("hej jeg er 80 år og bor hjemme i holstebro, jeg har parkinson og vil gerne træne for at holde niveauet",
     {"age": 80, "kommune": "0661", "condition_course": "lasting", "lives_at_home": True,
      "lives_in_care_centre": False, "motivated": True, "writer": "citizen", "relation": None}, []),
    ("min mormor er indlaagt med lungebetaendelse, hun bor paa plejehjem i ishoej",
     {"admitted_to_hospital": True, "condition_course": "temporary", "lives_in_care_centre": True,
      "lives_at_home": False, "kommune": "0183", "relation": "din mormor"}, []),
    ("æ er 78 og æ er faldet på cyklen. æ bor i Vejen",
     {"age": 78, "condition_course": "temporary", "kommune": "0575", "writer": "citizen"}, []),
    ("min 82-årige mor er udskrevet fra sygehuset, men fik ingen genoptræningsplan. hun gider ikke træne",
     {"age": 82, "admitted_to_hospital": False, "hospital_plan": False, "motivated": False}, []),
    ("hun er 82 år gammel, har gigt i knæene, bor alene i lejlighed på 3. sal i Odense og kan ikke "
     "komme til fysioterapeut mere",
     {"age": 82, "condition_course": "lasting", "lives_at_home": True, "kommune": "0461",
      "can_train_alone": False}, []),
    ("min far er 83 år og har KOL. Han går til fys med henvisning fra lægen",
     {"age": 83, "condition_course": "lasting", "can_train_alone": True,
      "vederlagsfri_fysioterapi": True, "relation": "din far"}, []),
    ("Min mand på 75 fik ny hofte i marts og har en genoptræningsplan",
     {"age": 75, "condition_course": "temporary", "hospital_plan": True, "relation": "din mand"}, []),
    ("MIN MOR ER 82 OG BOR I HOLBÆK", {"age": 82, "kommune": "0316", "relation": "din mor"}, []),
    # a son who lives elsewhere, named by a writer asking for themself; "hun" is the mother, not the son
    ("Jeg er 79 og har afleveret kørekortet, og min søn bor i Aarhus. Kan jeg få kørsel til træningen?",
     {"age": 79, "relation": None, "writer": "citizen"}, []),
    ("min søn bor i Aarhus, og min mor bor i Ulfborg. kan hun få kørsel", {"relation": "din mor"}, []),
    ("min far er kun 66 og har haft helvedesild", {"age": 66, "relation": "din far"}, []),
    ("jeg er bare 17 og har brækket benet", {"age": 17}, []),
    # a relation word that ends in -e is no adjective ("faar" folded is "far"); a sister who writes
    # with the writer is not the one asked about
    ("min kone faar vedligeholdende traening i holstebro", {"relation": "din kone", "kommune": "0661"}, []),
    ("min soester og jeg er ved at soege genoptraening til vores mor i holbaek",
     {"relation": "jeres mor", "kommune": "0316", "writer": "relative"}, []),
    # a friend who "får" something is no father; the writer who tells of themself is the citizen
    ("Jeg har parkinson og bor i Skanderbog. Min veninde får gratis fysioterapi hos en privat klinik",
     {"relation": None, "kommune": "0746", "writer": "citizen"}, []),
    # --- admitted_to_hospital ---
    ("min mand ligger på sygehuset efter en blodprop",
     {"admitted_to_hospital": True, "relation": "din mand"}, ["condition_course"]),
    ("Hun er stadig indlagt på Holbæk Sygehus, hun bor i Ishøj",
     {"admitted_to_hospital": True, "kommune": "0183"}, []),
    ("hun ligger på Odense Universitetshospital", {"admitted_to_hospital": True, "kommune": None}, []),
    ("hun har ikke været indlagt", {"admitted_to_hospital": False}, []),
    ("Min mor er ikke længere indlagt", {"admitted_to_hospital": False}, []),
    ("hun var indlagt i en uge med corona men er kommet hjem nu",
     {"admitted_to_hospital": False, "condition_course": "temporary"}, []),
    ("hun er faldet og blev indlagt, men nu er hun hjemme igen", {"admitted_to_hospital": False}, []),
    ("min far skal udskrives fra sygehuset på fredag", {"admitted_to_hospital": True}, []),
    ("hun har været indlagt med en infektion", {}, ["admitted_to_hospital"]),
    # --- hospital_plan ---
    ("hun har ikke fået en genoptrænings plan og er blevet udskrevet i går",
     {"hospital_plan": False, "admitted_to_hospital": False, "writer": "relative"}, []),
    ("min far er 83 og har fåt en genoptreningsplan fra sygehuset", {"hospital_plan": True, "age": 83}, []),
    ("har aldrig været indlagt og har ingen genoptræningsplan",
     {"admitted_to_hospital": False, "hospital_plan": False}, []),
    ("hun fik ikke en genoptræningsplan da hun blev udskrevet", {"hospital_plan": False}, []),
    ("hun har fået en genoptræningsplan, hvad gør vi nu?", {"hospital_plan": True}, []),
    ("jeg ved ikke om hun har fået en genoptræningsplan", {}, ["hospital_plan"]),
    ("Har hun ret til en genoptræningsplan?", {}, ["hospital_plan"]),
    ("hun venter på en genoptræningsplan", {}, ["hospital_plan"]),
    # an old plan for something else is not a plan for today's problem: the interview asks
    ("Jeg fik en genoptræningsplan i 2019 efter en ny hofte. Nu har jeg haft influenza og er blevet svag",
     {"condition_course": "temporary", "writer": "citizen"}, ["hospital_plan"]),
    ("Jeg fik en genoptræningsplan efter en ny hofte. Nu har jeg haft influenza",
     {"condition_course": "temporary"}, ["hospital_plan"]),
    ("min mor fik en genoptræningsplan sidste år, nu er hun faldet igen",
     {"condition_course": "temporary", "relation": "din mor"}, ["hospital_plan"]),
    ("Hun har fået en genoptræningsplan. Nu venter vi på kommunen", {"hospital_plan": True}, []),
    # --- condition_course ---
    ("Der er noget i vejen med min far, han er 85 og har KOL",
     {"condition_course": "lasting", "age": 85, "kommune": None}, []),
    ("min kone har aldrig haft træning, hun har sklerose og bliver langsomt dårligere",
     {"condition_course": "lasting", "months_since_previous_course": NEVER, "relation": "din kone"}, []),
    ("Min far fylder 80 på lørdag, han har demens", {"condition_course": "lasting", "age": 80}, []),
    ("mit barn på 16 har brækket benet",
     {"condition_course": "temporary", "age": 16, "relation": "dit barn"}, []),
    ("min mor (87) er blevet svækket efter sygdom", {"condition_course": "temporary", "age": 87}, []),
    ("min moster har sclerose og har brug for hjælp til at træne",
     {"condition_course": "lasting", "can_train_alone": False, "relation": "din moster"}, []),
    ("hun har haft lungebetændelse men har også parkinson", {}, ["condition_course"]),
    # a gradual decline without a named chronic illness (Holbæk: "svækket over tid")
    ("min mor er blevet svagere og svagere over tid, hun har ingen bestemt sygdom",
     {"condition_course": "gradual", "relation": "din mor"}, []),
    ("Min far på 84 er svækket over tid", {"condition_course": "gradual", "age": 84}, []),
    ("hun er blevet svagere med alderen", {"condition_course": "gradual"}, []),
    ("han bliver langsomt dårligere", {"condition_course": "gradual"}, []),
    ("Jeg har sklerose og får vederlagsfri fysioterapi for det",
     {"condition_course": "lasting", "vederlagsfri_fysioterapi": True, "writer": "citizen"}, []),
    ("Jeg er 74, er vedligeholdende træning noget for mig? jeg har KOL",
     {"condition_course": "lasting", "age": 74, "writer": "citizen"}, []),
    ("jeg er 66 og har ondt i ryggen", {"age": 66, "writer": "citizen"}, ["condition_course"]),
    # --- where the citizen lives ---
    ("min far er ikke motiveret og bor på plejecenter",
     {"motivated": False, "lives_in_care_centre": True, "lives_at_home": False}, []),
    ("min far bor alene i sit hus i horsens og er 92",
     {"lives_at_home": True, "lives_in_care_centre": False, "kommune": "0615", "age": 92}, []),
    ("min kone bor i eget hjem i Ishøj kommune", {"lives_at_home": True, "kommune": "0183"}, []),
    ("hun bor ikke hjemme længere", {"lives_at_home": False}, []),
    # a temporary stay or respite: the citizen still lives at home (Herlev: Lærkegaard, Lille Birkholm)
    ("hun er på aflastning på et plejecenter", {"lives_in_care_centre": True, "lives_at_home": True}, []),
    ("hun er på midlertidigt ophold på Lærkegaard", {"lives_at_home": True}, ["lives_in_care_centre"]),
    ("min far er på et midlertidigt ophold på Lille Birkholm efter et fald",
     {"lives_at_home": True, "condition_course": "temporary"}, []),
    ("hun er på venteliste til plejehjem", {}, ["lives_in_care_centre", "lives_at_home"]),
    # --- can_train_alone ---
    ("Han går til gymnastik i foreningen og det går fint",
     {"can_train_alone": True, "writer": "relative"}, []),
    ("hun træner selv derhjemme hver dag", {"can_train_alone": True}, []),
    ("han kan godt træne selv", {"can_train_alone": True}, []),
    ("Hun kan ikke komme til fysioterapeuten, og hun er ikke indlagt",
     {"can_train_alone": False, "admitted_to_hospital": False}, []),
    ("Hvis hun ikke kan træne selv, hvad kan hun så få?", {}, ["can_train_alone"]),
    # --- vederlagsfri_fysioterapi ---
    ("hun har en henvisning fra lægen til fysioterapi og vil gerne blive stærk igen",
     {"vederlagsfri_fysioterapi": True, "potential_to_improve": True}, []),
    ("hun har ikke ret til gratis fysioterapi", {"vederlagsfri_fysioterapi": False}, []),
    ("Kan min mor få gratis fysioterapi? Hun er 90 og har gigt",
     {"age": 90, "condition_course": "lasting"}, ["vederlagsfri_fysioterapi"]),
    # --- months_since_previous_course ---
    ("min svigermor havde et forløb i kommunen for 3 måneder siden",
     {"months_since_previous_course": 3, "relation": "din svigermor"}, []),
    ("sidste år fik hun genoptræning i kommunen", {"months_since_previous_course": 12}, []),
    ("Hun fik et træningsforløb i kommunen for et halvt år siden", {"months_since_previous_course": 6}, []),
    ("hun har ikke haft et træningsforløb i 2 år", {"months_since_previous_course": 24}, []),
    ("hun faldt for 3 uger siden og får genoptræning nu",
     {"condition_course": "temporary"}, ["months_since_previous_course"]),
    ("hun fik genoptræning på sygehuset for 2 måneder siden", {}, ["months_since_previous_course"]),
    # the end of the course in the next clause or sentence
    ("Min mor i Ishøj har haft et træningsforløb i kommunen, det sluttede for 3 måneder siden",
     {"months_since_previous_course": 3, "kommune": "0183"}, []),
    ("jeg bor i Ishøj og har haft genoptræning hos kommunen. det sluttede for 3 måneder siden. nu er jeg faldet",
     {"months_since_previous_course": 3, "condition_course": "temporary", "kommune": "0183"}, []),
    ("Jeg havde genoptræning i kommunen, som sluttede for 3 måneder siden",
     {"months_since_previous_course": 3}, []),
    ("hun fik genoptræning på sygehuset. det sluttede for 2 måneder siden", {}, ["months_since_previous_course"]),
    ("hun har haft influenza, det sluttede for 3 uger siden",
     {"condition_course": "temporary"}, ["months_since_previous_course"]),
    # --- only_reason_is_cost ---
    ("Hun har ikke råd til fysioterapeut", {"only_reason_is_cost": True}, []),
    ("det er ikke et spørgsmål om penge, hun kan bare ikke træne alene",
     {"only_reason_is_cost": False, "can_train_alone": False}, []),
    # --- motivated ---
    ("min mor har ikke lyst til at træne", {"motivated": False}, []),
    ("Hun vil ikke træne", {"motivated": False}, []),
    ("han nægter at træne", {"motivated": False}, []),
    ("min mor er ikke interesseret i at træne", {"motivated": False}, []),
    # --- potential_to_improve ---
    ("lægen siger at han ikke bliver bedre", {"potential_to_improve": False}, []),
    ("hun kan blive bedre med lidt hjælp", {"potential_to_improve": True}, []),
    # --- age and who is writing ---
    ("hun er 82 og bor på 2. sal", {"age": 82}, []),
    ("min mor er 92 og jeg er 60", {"age": 92}, []),
    ("jeg er 67 og er bekymret for min mand som er 70", {"age": 70, "relation": "din mand"}, []),
    ("vi er 3 søskende og er bekymrede for vores far på 84", {"age": 84, "relation": "jeres far"}, []),
    ("Min oldemor fyldte 100 i går", {"age": 100, "relation": "din oldemor"}, []),
    ("hun er firs og har gigt", {"age": 80}, []),
    ("hun er 250 år", {}, ["age"]),
    ("Jeg skriver på vegne af min nabo, hun er 88",
     {"age": 88, "writer": "relative", "relation": None}, []),
    # a neighbour or a friend as an example, not the person written about: the writer's own training
    ("min nabo går hos en privat fysioterapeut, kan jeg vælge at få min genoptræning der",
     {"writer": "citizen", "relation": None}, []),
    ("min veninde er faldet, jeg kan ikke få hende til at træne", {"writer": "relative", "relation": None}, []),
    ("ring på 12 34 56 78, min mor er 77, cpr 010145-1234", {"age": 77}, []),
    # --- words that look like cues but are not ---
    ("Hvad er vedligeholdende træning?", {}, ["condition_course"]),
    ("hun er på midlertidigt ophold på plejecenter",
     {"lives_in_care_centre": True, "lives_at_home": True}, ["condition_course"]),
    ("Hun skal flytte på plejehjem", {}, ["lives_in_care_centre", "lives_at_home"]),
    ("hun bor på Als og har ondt i knæet", {}, ["condition_course"]),
    ("hun fik afslag på vederlagsfri fysioterapi", {"vederlagsfri_fysioterapi": False}, []),
    ("hun kan ikke gå, men hun er motiveret", {"motivated": True}, []),
    ("hun har ikke haft influenza, men er faldet", {"condition_course": "temporary"}, []),
    ("min mand fik en blodprop i hjernen for 5 år siden og har senfølger",
     {"condition_course": "lasting"}, ["months_since_previous_course"]),
    ("Min far gider godt træne, men han har ikke råd",
     {"motivated": True, "only_reason_is_cost": True}, []),
    ("hun kom hjem fra sygehuset i mandags, men i dag er hun blevet indlagt igen",
     {"admitted_to_hospital": True}, []),
    ("Jeg er 85. Min datter hjælper mig med at skrive",
     {"age": 85, "writer": "citizen", "relation": None}, []),
    ("Jeg hedder Karen og er 79 år", {"age": 79, "writer": "citizen"}, []),
    # --- municipality ---
    ("Holbæks kommune har afvist hende", {"kommune": "0316"}, []),
    ("min mor og jeg bor i Aarhus, men hun er flyttet til Holbæk", {"kommune": None}, []),
    ("min far bor i Kongens Lyngby", {"kommune": "0173"}, []),
    ("min mor bor i høje taastrup", {"kommune": "0169"}, []),
    ("jeg bor i kbh", {"kommune": "0101", "writer": "citizen"}, []),
]


def _case_id(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "..."


@pytest.mark.parametrize("text,expected,absent", UNDERSTAND, ids=[_case_id(c[0]) for c in UNDERSTAND])
def test_en_fri_besked_giver_de_fakta_den_siger_og_ikke_flere(kb, text, expected, absent):
    understood = understand(text, kb)
    got = dict(understood.facts, kommune=understood.municipality_code,
               relation=understood.relation, writer=understood.writer)
    for key, value in expected.items():
        assert got[key] == value, (key, understood)
    for fact in absent:
        assert fact not in understood.facts, (fact, understood)


def test_alle_fakta_i_en_besked_har_et_kendt_id(kb):
    understood = understand(UNDERSTAND[1][0], kb)
    assert set(understood.facts) <= set(kb.facts)


# fact, reply, Rasa intent (or None), expected
ANSWERS = [
    # boolean: the intent decides ...
    ("admitted_to_hospital", "ja", "affirm", True),
    ("admitted_to_hospital", "nej", "deny", False),
    ("motivated", "hmm tja", "dont_know", DONT_KNOW),
    # ... unless the reply is a plain "don't know" (often classified as deny) or states the fact
    ("admitted_to_hospital", "ved ikke", "deny", DONT_KNOW),
    ("admitted_to_hospital", "ja, hun er blevet udskrevet", "affirm", False),
    # boolean, from the text
    ("admitted_to_hospital", "jo", None, True),
    ("hospital_plan", "ja tak", None, True),
    ("hospital_plan", "jep", None, True),
    ("hospital_plan", "korrekt", None, True),
    ("hospital_plan", "Det er rigtigt", None, True),
    ("hospital_plan", "det har hun", None, True),
    ("admitted_to_hospital", "nej tak", None, False),
    ("admitted_to_hospital", "nope", None, False),
    ("admitted_to_hospital", "det er hun ikke", None, False),
    ("hospital_plan", "nej hun fik ingen", None, False),
    ("motivated", "det tror jeg ikke", None, False),
    ("hospital_plan", "aner det ikke", None, DONT_KNOW),
    ("hospital_plan", "det ved jeg ikke", None, DONT_KNOW),
    ("hospital_plan", "måske", None, DONT_KNOW),
    ("can_train_alone", "usikker", None, DONT_KNOW),
    ("hospital_plan", "hun fik ikke en genoptræningsplan", None, False),
    ("can_train_alone", "hun kan ikke træne selv", None, False),
    ("lives_at_home", "ja hun bor hjemme", None, True),
    ("lives_at_home", "hun bor på plejehjem", None, False),
    ("other_offer_covers_need", "blå", None, INVALID),
    # integer
    ("age", "82", None, 82),
    ("age", "hun er 82", None, 82),
    ("age", "82 år", None, 82),
    ("age", "otteogfirs", None, 88),
    ("age", "hun er 82, cpr 0101451234", None, 82),
    ("age", "250", None, INVALID),
    ("age", "blå", None, INVALID),
    ("age", "010145-1234", None, INVALID),
    ("age", "ved ikke", None, DONT_KNOW),
    # choice
    ("condition_course", "temporary", None, "temporary"),
    ("condition_course", "lasting", None, "lasting"),
    ("condition_course", "Varig eller kronisk tilstand", None, "lasting"),
    ("condition_course", "pludseligt", None, "temporary"),
    ("condition_course", "det kom efter et fald", None, "temporary"),
    ("condition_course", "midlertidigt efter sygdom", None, "temporary"),
    ("condition_course", "kronisk", None, "lasting"),
    ("condition_course", "hun har parkinson", None, "lasting"),
    ("condition_course", "ikke kronisk", None, INVALID),  # sudden, or little by little? ask again
    ("condition_course", "gradual", None, "gradual"),
    ("condition_course", "Svagere lidt efter lidt over tid", None, "gradual"),
    ("condition_course", "det er sket langsomt", None, "gradual"),
    ("condition_course", "det andet", None, "gradual"),
    ("condition_course", "det er kommet med alderen", None, "gradual"),
    ("condition_course", "det er en kronisk sygdom", None, "lasting"),
    ("condition_course", "blå", None, INVALID),
    ("condition_course", "ved det ikke", None, DONT_KNOW),
    # months_or_never
    ("months_since_previous_course", "3", None, 3),
    ("months_since_previous_course", "3 måneder", None, 3),
    ("months_since_previous_course", "for tre måneder siden", None, 3),
    ("months_since_previous_course", "et halvt år", None, 6),
    ("months_since_previous_course", "halvandet år", None, 18),
    ("months_since_previous_course", "2½ år", None, 30),
    ("months_since_previous_course", "et år", None, 12),
    ("months_since_previous_course", "sidste år", None, 12),
    ("months_since_previous_course", "2 uger", None, 0),
    ("months_since_previous_course", "aldrig", None, NEVER),
    ("months_since_previous_course", "har ikke haft", None, NEVER),
    ("months_since_previous_course", "blå", None, INVALID),
    ("months_since_previous_course", "1000", None, INVALID),
    ("months_since_previous_course", "010145-1234", None, INVALID),
    ("months_since_previous_course", "ved ikke", None, DONT_KNOW),
    ("admitted_to_hospital", "nej, det ved jeg ikke", "deny", DONT_KNOW),
    ("admitted_to_hospital", "jeg ved ikke om hun er indlagt lige nu", "deny", DONT_KNOW),
    ("age", "hun er 82, snart 83", None, 82),
    ("age", "hun er født i 1942", None, INVALID),
    ("condition_course", "det sidste", None, "lasting"),
    ("condition_course", "begge dele", None, INVALID),
    ("months_since_previous_course", "nej, ikke i 2 år", None, 24),
    ("months_since_previous_course", "nej", None, NEVER),
    ("months_since_previous_course", "det sluttede for 3 måneder siden", None, 3),
    # the question is about a plan for the problem the citizen has now
    ("hospital_plan", "ja, men den er fra 2019 efter min hofte", "affirm", False),
    ("hospital_plan", "ja, fra sidste uge", "affirm", True),
    # a fact the knowledge base does not have
    ("favourite_colour", "blå", None, INVALID),
]


@pytest.mark.parametrize(
    "fact,text,intent,expected", ANSWERS,
    ids=[f"{fact}: {text!r} ({intent or 'ingen intent'})" for fact, text, intent, _ in ANSWERS],
)
def test_et_svar_paa_et_spoergsmaal_forstaas(kb, fact, text, intent, expected):
    value = parse_answer(fact, text, intent, kb)
    if expected is INVALID:
        assert value is INVALID
    else:
        assert value == expected and type(value) is type(expected)


CPR = [
    ("mit cpr er 010145-1234", True),
    ("mit cpr er 0101451234", True),
    ("cpr 310399 1234 til journalen", True),
    ("ring på 12 34 56 78", False),
    ("ring på 12345678", False),
    ("+45 12345678", False),
    ("320145-1234 er ikke en dato", False),
    ("hun er 82", False),
]


@pytest.mark.parametrize("text,masked", CPR, ids=[c[0] for c in CPR])
def test_cpr_numre_fjernes_men_telefonnumre_bliver(text, masked):
    result, found = mask_cpr(text)
    assert found is masked
    if masked:
        assert "[CPR-nummer fjernet]" in result and not any(c.isdigit() for c in result)
    else:
        assert result == text


def test_et_cpr_nummer_i_en_besked_markeres_og_bruges_aldrig_som_alder(kb):
    understood = understand("min mor har cpr 0101451234 og bor i Holbæk", kb)
    assert understood.cpr_found and "age" not in understood.facts
    assert understood.municipality_code == "0316"


@pytest.mark.parametrize("text, age", [
    ("Terapeuten siger, at min mor er færdig efter kun fire gange, selvom hendes pakke var på ti!", None),
    ("holdet er på 12 personer, min mor er 82", 82),
    ("min mor er 10 og har brækket armen", 10),
])
def test_et_antal_i_en_pakke_er_ingen_alder(kb, text, age):
    """"hendes pakke var på ti" counts sessions; read as an age, a mother became a child of ten."""
    assert stated_age(text, kb) == age
