"""Load and validate the knowledge files. A broken file fails with its path, the field and why."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Type, TypeVar

import yaml
from training_guidance.pydantic_compat import BaseModel, ValidationError, parse_obj_as

from ..settings import get_settings
from .schema import (
    Fact,
    FactType,
    Item,
    MunicipalityList,
    National,
    Op,
    Standard,
    Topic,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

M = TypeVar("M", bound=BaseModel)


class KnowledgeError(ValueError):
    """A knowledge file is missing, unreadable or does not match the schema."""


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"] if p != "__root__") or "(top level)"
        lines.append(f"  field {where}: {err['msg']}")
    return "\n".join(lines)


def _parse(path: Path, model: Type[M]) -> M:
    data = _read_yaml(path)
    try:
        return model.parse_obj(data)
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: does not match the schema\n{_describe(exc)}") from None


def _check_criteria(path: Path, standard: Standard, facts: Dict[str, Fact]) -> None:
    seen: set = set()
    for key, offer in standard.offers.items():
        for i, crit in enumerate(offer.criteria):
            where = f"{path}: field offers.{key}.criteria.{i}"
            if crit.fact not in facts:
                raise KnowledgeError(f"{where}.fact: unknown fact {crit.fact!r} (see knowledge/facts.yml)")
            ftype = facts[crit.fact].type
            if ftype is FactType.boolean and crit.op not in (Op.is_true, Op.is_false):
                raise KnowledgeError(f"{where}.op: boolean fact {crit.fact!r} takes is_true/is_false")
            if ftype in (FactType.integer, FactType.months_or_never) and crit.op in (Op.is_true, Op.is_false):
                raise KnowledgeError(f"{where}.op: numeric fact {crit.fact!r} takes gte/lt/eq/ne")
            if ftype is FactType.choice and crit.value not in facts[crit.fact].choices:
                raise KnowledgeError(f"{where}.value: {crit.value!r} is not a choice of {crit.fact!r}")
            if crit.date_text and ftype is not FactType.months_or_never:
                raise KnowledgeError(f"{where}.date_text: only for a months fact, not {crit.fact!r}")
            if (key, crit.id) in seen:
                raise KnowledgeError(f"{where}.id: duplicate criterion id {crit.id!r}")
            seen.add((key, crit.id))
        courses = facts["condition_course"].choices if "condition_course" in facts else {}
        for i, cover in enumerate(offer.courses):
            if cover.course not in courses:
                raise KnowledgeError(
                    f"{path}: field offers.{key}.courses.{i}.course: {cover.course!r} is not a choice of 'condition_course'"
                )
    ids: set = set()
    for key, topic, item in standard.all_items():
        scoped = (key, item.id)
        if scoped in ids:
            raise KnowledgeError(f"{path}: duplicate item id {item.id!r} in {key or 'topics'}")
        ids.add(scoped)


@dataclass(frozen=True)
class KnowledgeBase:
    facts: Dict[str, Fact]
    national: National
    municipalities: MunicipalityList
    standards: Dict[str, Standard]  # by kommunekode
    standard_paths: Dict[str, Path] = field(default_factory=dict)

    def standard_for(self, code: Optional[str]) -> Optional[Standard]:
        return self.standards.get(code) if code else None

    def valid_from(self, standard: Standard, item: Item) -> Optional[dt.date]:
        """An item's own date, else the date its document states."""
        return item.valid_from or standard.document.stated_date

    def items(self, code: str, topic: Topic, offer: Optional[str] = None) -> List[Item]:
        """Items on a topic for a municipality: the offer's own first, then the standard's general ones."""
        standard = self.standards.get(code)
        if standard is None:
            return []
        found: List[Item] = []
        # The same item under both offers is said once. Compared by id and words: pydantic's ==
        # builds a dict of every field of both, which cost a sixth of the action server's CPU
        said = set()
        offers = [offer] if offer else list(standard.offers)
        for key in offers:
            off = standard.offers.get(key)
            for item in off.topics.get(topic, []) if off else []:
                if (item.id, item.text) not in said:
                    said.add((item.id, item.text))
                    found.append(item)
        found.extend(standard.topics.get(topic, []))
        return found


def load_facts(path: Path) -> Dict[str, Fact]:
    data = _read_yaml(path)
    try:
        return parse_obj_as(Dict[str, Fact], data)
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: does not match the schema\n{_describe(exc)}") from None


def load_standard(path: Path, facts: Dict[str, Fact]) -> Standard:
    standard = _parse(path, Standard)
    _check_criteria(path, standard, facts)
    return standard


def load_knowledge(directory: Optional[Path] = None) -> KnowledgeBase:
    base = Path(directory or get_settings().knowledge_dir or DEFAULT_KNOWLEDGE_DIR)
    facts = load_facts(base / "facts.yml")
    national = _parse(base / "national.yml", National)
    municipalities = _parse(base / "municipalities.yml", MunicipalityList)
    known_codes = {m.code: m.name for m in municipalities.municipalities}
    standards: Dict[str, Standard] = {}
    paths: Dict[str, Path] = {}
    for path in sorted((base / "standards").glob("*.yml")):
        standard = load_standard(path, facts)
        code = standard.municipality.code
        if known_codes and code not in known_codes:
            raise KnowledgeError(f"{path}: field municipality.code: {code!r} is not a kommunekode")
        if code in standards:
            raise KnowledgeError(f"{path}: field municipality.code: {code} already has {paths[code]}")
        standards[code] = standard
        paths[code] = path
    return KnowledgeBase(facts, national, municipalities, standards, paths)


@functools.lru_cache(maxsize=4)
def cached_knowledge(directory: Optional[str] = None) -> KnowledgeBase:
    """The knowledge base, loaded once per process on first use (never at import)."""
    return load_knowledge(Path(directory) if directory else None)
