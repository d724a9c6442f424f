"""Question answering from the whole quality standard, for the right municipality.

    from training_guidance.answering import answer_message, answer_question, resolve_municipality

    reply = answer_message(kb, text, conversation_code, page_code, offer=None, limit=3)
    reply.municipality   # .code, .named (the text named it), .ambiguous (several, none said to be home), .source
    for result in reply.answers:          # one per question in the message
        result.found, result.hits         # hits: .key, .keys, .item, .offers, .topic, .section,
                                          #       .score, .code (None: national rule)

    # or step by step:
    choice = resolve_municipality(text, conversation_code, page_code, kb)
    for part in split_questions(text):
        result = answer_question(kb, part, code=choice.code, offer=None, limit=3)

See docs/answering.md.
"""
from ..municipalities import MunicipalityChoice, resolve_municipality
from .corrections import corrected
from .dictation import as_typed
from .index import indexes, item_key, without_names
from .offers import about_offer, named_offer
from .ranking import Answer, Hit, MessageAnswer, answer_message, answer_question, message_municipality
from .splitting import asking_sentence, split_questions

__all__ = ["Answer", "Hit", "MessageAnswer", "MunicipalityChoice", "about_offer", "as_typed", "answer_message", "answer_question",
           "asking_sentence", "corrected", "indexes", "item_key", "message_municipality", "named_offer", "resolve_municipality", "split_questions",
           "without_names"]
