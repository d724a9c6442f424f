"""The Danish text catalogue: every sentence the assistant says in its own words, by reader.

``say("ask_municipality", voice)`` gives the text for that reader with the voice's words filled in
(``{who}``, ``{she}``, …) and any other values. A key missing for a voice falls back to "citizen".
Knowledge items (the standards, the law) are not here: ``in_voice`` rewrites them for the reader.
"""
from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any, Dict, Mapping, Union

import yaml

from .voice import KINDS, Voice, capitalise, in_voice

__all__ = ["Voice", "in_voice", "say", "has", "catalogue", "capitalise", "CatalogueError"]

CATALOGUE_FILE = Path(__file__).with_name("da.yml")


class CatalogueError(KeyError):
    pass


Entry = Union[str, Mapping[str, str]]


@functools.lru_cache(maxsize=1)
def catalogue() -> Dict[str, Dict[str, str]]:
    """key → {voice kind → template}, every key with all three voices."""
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    entries: Dict[str, Dict[str, str]] = {}
    for key, entry in raw.items():
        if isinstance(entry, str):
            entries[key] = {kind: entry for kind in KINDS}
        elif isinstance(entry, dict) and set(entry) <= set(KINDS) and "citizen" in entry:
            entries[key] = {kind: entry.get(kind, entry["citizen"]) for kind in KINDS}
        else:
            raise CatalogueError(f"{CATALOGUE_FILE}: {key!r} must be a text or citizen/relative/staff texts")
    return entries


def has(key: str) -> bool:
    return key in catalogue()


class _Values(dict):
    def __missing__(self, name: str) -> str:
        raise CatalogueError(f"the text needs a value for {{{name}}}")


def say(key: str, voice: Voice = Voice(), **values: Any) -> str:
    """The catalogue's text for ``key`` as ``voice`` reads it, with ``values`` filled in."""
    try:
        template = catalogue()[key][voice.kind]
    except KeyError:
        raise CatalogueError(f"no text {key!r} in {CATALOGUE_FILE.name}") from None
    filled = string.Formatter().vformat(template, (), _Values({**voice.values(), **values}))
    return filled.strip()
