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
    for name in ("DIETClassifier_report.json", "RegexEntityExtractor_report.json"):
        path = results / name
        if path.exists():
            entities = json.loads(path.read_text())
            avg = entities.get("weighted avg") or entities.get("micro avg") or {}
            if avg:
                print(f"Entities, {name.split('_')[0]}: weighted F1 {avg['f1-score']:.3f} ({avg['support']} entities)")
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
