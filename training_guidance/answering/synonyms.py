"""The Danish words people use for what the standards say: knowledge/synonyms.yml.

The file is data, so a new standard or a new way of asking needs no Python and no retraining.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

import yaml
from pydantic import BaseModel, Extra, ValidationError, validator

from ..knowledge import KnowledgeBase, KnowledgeError
from ..knowledge.loader import DEFAULT_KNOWLEDGE_DIR
from ..knowledge.schema import Item, Topic
from ..settings import get_settings

FILE_NAME = "synonyms.yml"


class Synonyms(BaseModel):
    """groups: phrases that mean the same here; topics: words for every item of a topic;
    fields: words for every item with that field set; items: words for one item ("national:<id>",
    "<kommunekode>:<id>" or "<kommunekode>:<offer>:<id>"); ignore: words that say nothing about what
    is asked; about: words that say a question is about training (with one of them, a word no
    knowledge file uses is taken as the situation - an illness, an injury - not as what is asked)."""

    groups: Dict[str, List[str]] = {}
    topics: Dict[Topic, List[str]] = {}
    fields: Dict[str, List[str]] = {}
    items: Dict[str, List[str]] = {}
    ignore: List[str] = []
    about: List[str] = []

    class Config:
        extra = Extra.forbid

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


def knowledge_dir(kb: KnowledgeBase) -> Path:
    """The folder the knowledge base was loaded from."""
    if kb.standard_paths:
        return next(iter(kb.standard_paths.values())).parent.parent
    return Path(get_settings().knowledge_dir or DEFAULT_KNOWLEDGE_DIR)


def load_synonyms(directory: Optional[Path] = None) -> Synonyms:
    path = Path(directory or get_settings().knowledge_dir or DEFAULT_KNOWLEDGE_DIR) / FILE_NAME
    if not path.exists():
        return Synonyms()
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        return Synonyms.parse_obj(data)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: does not match the schema\n{exc}") from None
