"""The local Danish spaCy pipeline: blank "da" + the lookup lemmatizer from spacy-lookups-data.

`da_core_news_sm` cannot be installed here. A deployment that has it changes the SpacyNLP
`model:` line in config.yml to `da_core_news_sm`; nothing else changes.
"""
from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "build" / "spacy-da"


def build_pipeline(path: Path = DEFAULT_PATH) -> Path:
    import spacy  # heavy import (pulls in thinc): only when building

    nlp = spacy.blank("da")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup table from spacy-lookups-data
    nlp.meta["name"] = "traeningsguiden_da"
    nlp.meta["description"] = "Blank Danish pipeline with the lookup lemmatizer (spacy-lookups-data)."
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path


def load_pipeline(name_or_path: str | Path = DEFAULT_PATH):
    import spacy

    return spacy.load(name_or_path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    print(f"Dansk spaCy-pipeline gemt i {build_pipeline(target)}")
