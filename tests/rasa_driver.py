"""Our Rasa actions run the way the Rasa server runs them for this domain, without the server.

The rules are simple (bot/data): every intent → `action_turn`; `request_application` →
`action_start_application` and the form; the form's validation action after each answer, then
`action_ask_<requested slot>`, and `action_application_done` when the form ends. The driver keeps
the events as Rasa records them (user messages with parse data and channel, bot messages with
buttons, slots, actions), so the actions see a realistic tracker and their consent check reads
real events. The end-to-end tests (test_e2e_*.py) run the same conversations through Rasa itself.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.application import (ActionApplicationDone, ActionStartApplication, AskField,
                                     ValidateApplicationForm)
from bot.actions.turn import ActionTurn

FORM = "application_form"
ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))  # as Rasa sends it


def _ask_actions() -> Dict[str, AskField]:
    found, todo = {}, list(AskField.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found[cls().name()] = cls()
    return found


ASK = _ask_actions()


class RasaLike:
    def __init__(self, sender: str = "borger-1", channel: str = "rest", metadata: Optional[dict] = None):
        self.sender, self.channel, self.metadata = sender, channel, metadata or {}
        self.slots: Dict[str, Any] = {}
        self.events: List[Dict[str, Any]] = []
        self.active_loop: Optional[str] = None
        self.latest: Dict[str, Any] = {}
        self.said: List[Dict[str, Any]] = []  # the bot's messages of the last turn
        self.calls: List[tuple] = []  # (action, messages, events) of every action run

    # --- one user message -------------------------------------------------------------------------
    def user(self, text: str, intent: Optional[str] = None, confidence: float = 0.95,
             metadata: Optional[dict] = None, channel: Optional[str] = None) -> List[Dict[str, Any]]:
        entities, name = [], intent
        if text.startswith("/"):  # a button payload, parsed as Rasa's RegexMessageHandler does
            name, _, raw = text[1:].partition("{")
            entities = [{"entity": k, "value": v} for k, v in (json.loads("{" + raw) if raw else {}).items()]
        self.latest = {"text": text, "intent": {"name": name, "confidence": confidence}, "entities": entities,
                       "metadata": dict(self.metadata, **(metadata or {}))}
        self.events.append({"event": "action", "name": "action_listen"})
        self.events.append({"event": "user", "text": text, "parse_data": self.latest,
                            "input_channel": channel or self.channel, "metadata": self.latest["metadata"]})
        self.said = []
        if self.active_loop == FORM:
            self._form_step()
        elif name == "request_application":
            self._run(ActionStartApplication())
            self.active_loop = FORM
            self.events.append({"event": "active_loop", "name": FORM})
            # As Rasa activates a form: the slots filled before it are validated first.
            for slot in DOMAIN["forms"][FORM]["required_slots"]:
                if self.slots.get(slot) is not None:
                    self.events.append({"event": "slot", "name": slot, "value": self.slots[slot]})
            self._form_step()
        elif name == "submit_application":
            self._run(ActionApplicationDone())
        else:
            self._run(ActionTurn())
        return self.said

    def press(self, title: str) -> List[Dict[str, Any]]:
        offered = [b for m in self.said for b in (m.get("buttons") or [])]
        chosen = next((b for b in offered if b["title"] == title), None)
        assert chosen is not None, f"no button {title!r} in {[b['title'] for b in offered]}"
        return self.user(chosen["payload"])

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.said)

    # --- Rasa's form loop -------------------------------------------------------------------------
    def _form_step(self) -> None:
        self.events.append({"event": "action", "name": FORM})
        events = self._run(ValidateApplicationForm(), record_action=False)
        if not any(e.get("name") == "requested_slot" for e in events):
            # rasa_sdk leaves the choice to Rasa when the list is the domain's: its first empty slot.
            required = DOMAIN["forms"][FORM]["required_slots"]
            self.slots["requested_slot"] = next((s for s in required if self.slots.get(s) is None), None)
        requested = self.slots.get("requested_slot")
        if requested:
            self._run(ASK[f"action_ask_{requested}"])
            return
        self.active_loop = None
        self.events.append({"event": "active_loop", "name": None})
        self._run(ActionApplicationDone())

    def _tracker(self) -> Tracker:
        return Tracker(self.sender, dict(self.slots), self.latest, list(self.events), False, None,
                       {"name": self.active_loop} if self.active_loop else {}, "action_listen")

    def _run(self, action, record_action: bool = True) -> List[Dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        result = action.run(dispatcher, self._tracker(), DOMAIN)
        events = asyncio.run(result) if asyncio.iscoroutine(result) else result
        self.calls.append((action.name(), len(dispatcher.messages), len(events)))
        if record_action:
            self.events.append({"event": "action", "name": action.name()})
        for message in dispatcher.messages:
            data = {"buttons": message.get("buttons") or None, "custom": message.get("custom")}
            self.events.append({"event": "bot", "text": message.get("text"), "data": data})
            self.said.append(message)
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
                self.events.append(event)
        return events
