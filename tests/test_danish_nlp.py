"""The local Danish spaCy pipeline lemmatises Danish, also when Rasa's SpacyNLP loads it."""
import pytest

from training_guidance.danish_nlp import DEFAULT_PATH, build_pipeline, load_pipeline

WORDS = {"genoptræningen": "genoptræning", "kommunerne": "kommune", "kørslen": "kørsel", "sygehuset": "sygehus"}


@pytest.fixture(scope="module")
def pipeline_path(tmp_path_factory):
    return build_pipeline(tmp_path_factory.mktemp("spacy") / "da")


def test_den_byggede_pipeline_finder_grundformen_af_danske_ord(pipeline_path):
    nlp = load_pipeline(pipeline_path)
    assert nlp.lang == "da"
    for word, lemma in WORDS.items():
        assert nlp(word)[0].lemma_ == lemma


def test_rasas_spacynlp_indlaeser_pipelinen_og_giver_lemmaer_til_tokenizeren(pipeline_path):
    from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.nlu.training_data.message import Message

    model = SpacyNLP.load_model(str(pipeline_path))
    message = Message(data={"text": "Hvad koster genoptræningen i kommunerne?"})
    message.set("text_spacy_doc", model.model("hvad koster genoptræningen i kommunerne?"))
    tokens = SpacyTokenizer(SpacyTokenizer.get_default_config()).tokenize(message, "text")
    lemmas = [t.lemma for t in tokens]
    assert "genoptræning" in lemmas and "kommune" in lemmas


def test_config_peger_paa_pipelinen_som_setup_bygger():
    import yaml
    from pathlib import Path

    config = yaml.safe_load((Path(__file__).parents[1] / "config.yml").read_text(encoding="utf-8"))
    spacy_nlp = next(c for c in config["pipeline"] if c["name"] == "SpacyNLP")
    assert Path(__file__).parents[1] / spacy_nlp["model"] == DEFAULT_PATH
