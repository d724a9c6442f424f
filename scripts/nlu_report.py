"""Print intent and entity F1 from `rasa test nlu` results; fail below the quality bar."""
from __future__ import annotations

import json
import sys
from pathlib import Path

MIN_INTENT_F1 = 0.80  # weighted F1 on the held-out set (tests/nlu/test_nlu.yml)


def main(results: Path) -> int:
    intent = json.loads((results / "intent_report.json").read_text())["weighted avg"]
    print(f"Intents (held-out): weighted F1 {intent['f1-score']:.3f}, precision {intent['precision']:.3f}, "
          f"recall {intent['recall']:.3f}, {intent['support']} examples")
    diet = results / "DIETClassifier_report.json"
    if diet.exists():
        report = json.loads(diet.read_text())
        avg = report.get("weighted avg") or {}
        per = ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in sorted(report.items())
                        if isinstance(v, dict) and k not in ("weighted avg", "macro avg", "micro avg", "no_entity"))
        print(f"Entities (DIET): weighted F1 {avg.get('f1-score', 0):.3f} over {avg.get('support', 0)}; {per}")
    regex = results / "RegexEntityExtractor_report.json"
    if regex.exists():  # the lookup table only knows municipalities
        row = json.loads(regex.read_text()).get("municipality")
        if row:
            print(f"Entities (lookup table): municipality F1 {row['f1-score']:.3f} over {row['support']}")
    worst = sorted(
        ((k, v) for k, v in json.loads((results / "intent_report.json").read_text()).items() if isinstance(v, dict) and "f1-score" in v and k not in ("weighted avg", "macro avg", "micro avg")),
        key=lambda kv: kv[1]["f1-score"],
    )[:5]
    print("Weakest intents: " + ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in worst))
    if intent["f1-score"] < MIN_INTENT_F1:
        print(f"Intent F1 below {MIN_INTENT_F1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "results/nlu")))
