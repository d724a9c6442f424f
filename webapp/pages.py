"""The HTML pages: files in webapp/pages/ with {{name}} placeholders, every value HTML-escaped, and
{{> _part.html}} for a part several pages share (a file in webapp/pages/, inserted as it is)."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Optional, Tuple

PAGES = Path(__file__).resolve().parent / "pages"
STATIC = Path(__file__).resolve().parent / "static"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_INCLUDE = re.compile(r"\{\{> (_[\w-]+\.html)\}\}\n?")
DEMO_KOMMUNE = "0661"  # Holstebro: a municipality with a quality standard


def render(name: str, **values: str) -> str:
    template = (PAGES / name).read_text(encoding="utf-8")
    template = _INCLUDE.sub(lambda m: (PAGES / m[1]).read_text(encoding="utf-8"), template)
    return _PLACEHOLDER.sub(lambda m: html.escape(values.get(m[1], ""), quote=True), template)


def demo_municipality(code: Optional[str]) -> Tuple[str, str]:
    """(kommunekode, name) for the demo page: ?kommune=NNNN when it is a real one, else Holstebro."""
    from training_guidance.municipalities import find_municipality  # loads the knowledge on first use

    entry = find_municipality(code) if code and re.fullmatch(r"\d{4}", code) else None
    entry = entry or find_municipality(DEMO_KOMMUNE)
    return entry.code, entry.name


def snippet(origin: str, code: str) -> str:
    """The one line a municipality pastes into its own site."""
    return f'<script src="{origin}/widget/traeningsguiden.js" data-kommune="{code}" defer></script>'
