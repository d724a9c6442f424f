"""Question answering from the whole quality standard, for the right municipality.

    from training_guidance.answering import answer_question, split_questions, resolve_municipality
    choice = resolve_municipality(text, conversation_code, page_code, kb)
    for part in split_questions(text):
        result = answer_question(kb, part, code=choice.code, offer=None, limit=3)
        result.found, result.hits  # hits: .key, .keys, .item, .offers, .topic, .section, .score, .code
"""
from ..municipalities import MunicipalityChoice, resolve_municipality
from .index import indexes, item_key
from .ranking import Answer, Hit, answer_question
from .splitting import split_questions

__all__ = ["Answer", "Hit", "MunicipalityChoice", "answer_question", "indexes", "item_key",
           "resolve_municipality", "split_questions"]
