"""One fix to Rasa 3.6, applied in the Rasa server process by the project's channels (always, unlike
the speed-ups in rasa_tuning.py, which TG_RASA_TUNING=off turns off).

Rasa 3.6's ``LogisticRegressionClassifier.process`` stacks each message's sentence features for
scikit-learn. A message with no tokens ("", " ", "\\t": the featurizers give it no features) becomes
a matrix with no columns, scikit-learn raises, the whole message fails and the user gets the
technical apology. DIET, which it replaced, gives such a message no intent. ``apply()`` does the same
here: no intent and confidence 0, so the FallbackClassifier marks it ``nlu_fallback`` and the
conversation core answers it as it answers anything it cannot read; every other message is
classified exactly as before.
"""
from __future__ import annotations

import functools
from typing import Any, List

_applied = False


def has_features(message: Any) -> bool:
    """Whether the message has sentence features of its text (sparse or dense), as the classifier
    needs. Looks at the features themselves: ``get_sparse_features`` would copy and stack them, and
    that cost more CPU per message than the classifier."""
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT

    return any(f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE for f in message.features)


def apply() -> bool:
    """Patch once per process; whether the fix is active."""
    global _applied
    if _applied:
        return True
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

    stock = LogisticRegressionClassifier.process

    @functools.wraps(stock)  # process.__wrapped__ is Rasa's own
    def process(self: LogisticRegressionClassifier, messages: List[Any]) -> List[Any]:
        featured = [has_features(m) for m in messages]
        if any(featured):
            stock(self, [m for m, f in zip(messages, featured) if f])
        for message, f in zip(messages, featured):
            if not f:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    LogisticRegressionClassifier.process = process  # type: ignore[method-assign]
    _applied = True
    return True
