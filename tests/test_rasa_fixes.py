"""The fix to Rasa 3.6's logistic regression classifier (bot/rasa_fixes.py): a message without any
features (an empty message) gets no intent instead of an exception; every other message is
classified as Rasa classifies it."""
import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import LogisticRegression

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot import rasa_fixes


def _classifier(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LogisticRegressionClassifier.create(
        LogisticRegressionClassifier.get_default_config(), storage, Resource("lr"), context)
    X = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]])
    classifier.clf = LogisticRegression().fit(X, ["question", "greet", "inform", "question"])
    return classifier


def _message(text, features=None):
    message = Message(data={TEXT: text})
    if features is not None:
        message.add_features(Features(scipy.sparse.coo_matrix([features]), "sentence", TEXT, "cvf"))
    return message


def test_en_tom_besked_faar_ingen_hensigt_i_stedet_for_en_fejl(tmp_path, monkeypatch):
    # Rasa's own method, also when the channels of another test applied the fix already
    stock = getattr(LogisticRegressionClassifier.process, "__wrapped__", LogisticRegressionClassifier.process)
    classifier = _classifier(tmp_path)
    with pytest.raises(ValueError):  # Rasa 3.6 as it is: no columns, scikit-learn refuses
        stock(classifier, [_message("")])
    monkeypatch.setattr(rasa_fixes, "_applied", False)
    monkeypatch.setattr(LogisticRegressionClassifier, "process", stock)
    assert rasa_fixes.apply()
    empty, word = _message(""), _message("hej", [0, 1, 0])
    expected = stock(classifier, [_message("hej", [0, 1, 0])])[0]
    classifier.process([empty, word])
    assert empty.get("intent") == {"name": None, "confidence": 0.0} and empty.get("intent_ranking") == []
    assert word.get("intent") == expected.get("intent") and word.get("intent_ranking") == expected.get("intent_ranking")
