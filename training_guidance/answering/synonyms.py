"""The Danish words people use for what the standards say: knowledge/synonyms.yml.

The file is data, so a new standard or a new way of asking needs no Python and no retraining.
``validate_synonyms`` checks it against the knowledge base (`tg validate`): every error names the
file, the field and why.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional

import yaml
from training_guidance.pydantic_compat import BaseModel, Extra, ValidationError, validator

from ..folding import fold
from ..knowledge import KnowledgeBase, KnowledgeError
from ..knowledge.loader import DEFAULT_KNOWLEDGE_DIR
from ..knowledge.schema import Item, Topic
from ..settings import get_settings
from .keys import item_key

FILE_NAME = "synonyms.yml"
_KEY = re.compile(r"^(national|\d{4})(:(stk1|stk2))?:[a-z0-9_]+$")


class Synonyms(BaseModel):
    """groups: phrases that mean the same here; topics: words for every item of a topic;
    fields: words for every item with that field set; items: words for one item ("national:<id>",
    "<kommunekode>:<id>" or "<kommunekode>:<offer>:<id>"); ignore: words that say nothing about what
    is asked; about: words that say a question is about training (with one of them, a word no
    knowledge file uses is taken as the situation - an illness, an injury - not as what is asked);
    stems: a stem of its own for words that Danish stemming gives another word's stem ("ryg", the
    back, and "ryger", smokes, are both "ryg"): the name → the words as written; elsewhere: words
    and phrases, as written, that name another municipal service ("snerydning", "nyt pas"): a
    question that uses one and no ``about`` word is about that service, not about training."""

    groups: Dict[str, List[str]] = {}
    topics: Dict[Topic, List[str]] = {}
    fields: Dict[str, List[str]] = {}
    items: Dict[str, List[str]] = {}
    ignore: List[str] = []
    about: List[str] = []
    stems: Dict[str, List[str]] = {}
    elsewhere: List[str] = []

    class Config:
        extra = Extra.forbid

    @validator("topics", pre=True)
    def _known_topics(cls, v):
        unknown = sorted(str(k) for k in (v or {}) if str(k) not in {t.value for t in Topic})
        if unknown:
            raise ValueError(f"not topics: {unknown} (topics: {', '.join(t.value for t in Topic)})")
        return v

    @validator("fields")
    def _item_fields(cls, v: Dict[str, List[str]]) -> Dict[str, List[str]]:
        unknown = set(v) - set(Item.__fields__)
        if unknown:
            raise ValueError(f"not item fields: {sorted(unknown)}")
        return v

    @validator("groups")
    def _two_or_more(cls, v: Dict[str, List[str]]) -> Dict[str, List[str]]:
        for name, phrases in v.items():
            if len(phrases) < 2:
                raise ValueError(f"group {name!r} needs at least two phrases")
        return v

    @validator("items")
    def _item_keys(cls, v: Dict[str, List[str]]) -> Dict[str, List[str]]:
        bad = [k for k in v if not _KEY.match(k)]
        if bad:
            raise ValueError(f"not item keys (national:<id>, <kommunekode>:<id> or "
                             f"<kommunekode>:<stk1|stk2>:<id>): {bad}")
        return v


def knowledge_dir(kb: KnowledgeBase) -> Path:
    """The folder the knowledge base was loaded from."""
    if kb.standard_paths:
        return next(iter(kb.standard_paths.values())).parent.parent
    return Path(get_settings().knowledge_dir or DEFAULT_KNOWLEDGE_DIR)


def synonyms_path(directory: Optional[Path] = None) -> Path:
    return Path(directory or get_settings().knowledge_dir or DEFAULT_KNOWLEDGE_DIR) / FILE_NAME


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"] if p not in ("__root__", "__key__")) or "(top level)"
        lines.append(f"  field {where}: {err['msg']}")
    return "\n".join(lines)


def load_synonyms(directory: Optional[Path] = None) -> Synonyms:
    path = synonyms_path(directory)
    if not path.exists():
        return Synonyms()
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        return Synonyms.parse_obj(data)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: does not match the schema\n{_describe(exc)}") from None


def validate_synonyms(kb: KnowledgeBase) -> Synonyms:
    """The synonyms file of ``kb``'s folder, checked against ``kb``: the schema, every item key
    names an item, every phrase has a word. Raises KnowledgeError with the path, field and reason."""

    directory = knowledge_dir(kb)
    synonyms = load_synonyms(directory)
    keys = {item_key(None, None, i) for i in kb.national.items}
    for code, standard in kb.standards.items():
        keys |= {item_key(code, offer, item.id) for offer, _, item in standard.all_items()}
    problems = [f"  field items.{key}: no item has this key" for key in synonyms.items if key not in keys]
    used = {fold(w) for item in [*kb.national.items.values(), *(i for s in kb.standards.values() for _, _, i in s.all_items())]
            for w in re.findall(r"[^\W_]+", item.text)}
    problems += [f"  field elsewhere.{n}: {phrase!r} is a word the knowledge files use (not another service's)"
                 for n, phrase in enumerate(synonyms.elsewhere) if " " not in phrase.strip() and fold(phrase) in used]
    lists = [(f"groups.{name}", phrases) for name, phrases in synonyms.groups.items()]
    lists += [(f"topics.{topic.value}", words) for topic, words in synonyms.topics.items()]
    lists += [(f"fields.{name}", words) for name, words in synonyms.fields.items()]
    lists += [(f"items.{key}", words) for key, words in synonyms.items.items()]
    lists += [("ignore", synonyms.ignore), ("about", synonyms.about), ("elsewhere", synonyms.elsewhere)]
    lists += [(f"stems.{name}", words) for name, words in synonyms.stems.items()]
    for where, phrases in lists:
        problems += [f"  field {where}.{n}: {phrase!r} has no word" for n, phrase in enumerate(phrases)
                     if not re.search(r"[^\W_]|§", phrase or "")]
    if problems:
        raise KnowledgeError(f"{synonyms_path(directory)}: does not match the knowledge\n" + "\n".join(problems))
    return synonyms
