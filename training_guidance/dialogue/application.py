"""Taking an application: privacy notice and consent, the few contact details, a summary to
confirm or correct, then one transaction in the records store and a receipt after the commit.

The Rasa form asks the fields ``required_fields`` names, in order; each answer is ``extract``-ed
(the button's value or the text) and ``validate``-d here. A question in the middle is answered and
the field asked again; facts in an answer are kept like anywhere else.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..cpr import CPR_MASK, mask_cpr
from ..deadlines import danish_date
from ..handoff import contact as parse
from ..handoff.consent import CONSENT_VERSION, privacy_notice
from ..handoff.record import build_draft
from ..texts import Voice, in_voice, say
from ..understanding import understand
from . import reading
from .context import Context
from .items import contact_text, municipality_name, sources_line
from .language import fold, looks_like_question
from .state import APPLICATION_FIELDS, FINISHED, OPTIONAL_FIELDS, SKIPPED, Application, Conversation
from .turn import Button, Replies, Turn, answer_button, button, reply
from .verdict import headline, source_of

MAX_ATTEMPTS = 3
CANCEL = re.compile(r"^\s*(?:annuller\w*|fortryd\w*|afbryd\w*|stop|glem\s+det|jeg\s+vil\s+ikke\s+(?:soge|alligevel)\w*)\b")
FIX_WORDS = (("navn", "citizen_name"), ("telefon", "contact_phone"), ("nummer", "contact_phone"),
             ("mail", "contact_email"), ("adresse", "contact_address"), ("tid", "call_time"))
YES = re.compile(r"^(?:ja|jo|jep|ok|okay|gerne|fint|det\s+ma\s+i|ja\s+tak|selvfolgelig|klart|yes)\b")
NO = re.compile(r"^(?:nej|nix|nope|ikke|nej\s+tak|det\s+ma\s+i\s+ikke)\b")


def start(state: Conversation, new_id: str) -> None:
    """A new application: a new id (half of its idempotency key), who applies if the conversation knows."""
    app = state.application
    if app.state == "collecting" and app.application_confirmed and app.id:
        return  # confirmed but not stored (the database failed): the form completes and sends it
    state.application = Application(id=new_id, state="collecting")
    state.asked, state.active = None, False
    if state.voice_kind in ("citizen", "relative", "staff"):
        state.application.applicant_role = state.voice_kind


def blocked(state: Conversation, ctx: Context) -> Optional[str]:
    """Why no application can be sent from here (a catalogue key), or None."""
    if state.outcome == "sundhedsloven_140":
        return "application_hospital"
    if state.code and not ctx.served(state.code):
        return "application_not_served"
    return None


def required_fields(state: Conversation, ctx: Context) -> List[str]:
    """The fields this application still needs, in order; [] ends the form."""
    app = state.application
    if app.state in FINISHED:
        return []
    if not state.code:
        return ["municipality_code"]
    if blocked(state, ctx) or app.consent is False:
        return []
    needed = ["municipality_code", "consent", "applicant_role"]
    if app.applicant_role == "relative":
        needed += ["fuldmagt", "applicant_relation"]
    needed.append("citizen_name")
    if app.applicant_role == "relative":
        needed.append("contact_name")
    return needed + ["contact_phone", "contact_email", "contact_address", "call_time", "application_confirmed"]


def value_of(state: Conversation, name: str) -> Any:
    return state.code if name == "municipality_code" else getattr(state.application, name)


# --- asking -------------------------------------------------------------------------------------

def ask(name: str, state: Conversation, ctx: Context) -> Tuple[Replies, Dict[str, Any]]:
    """The question for a field, and what to remember about asking it (the consent text shown)."""
    voice, out = state.voice, Replies()
    if name == "consent":
        notice = privacy_notice(state.name or municipality_name(ctx.kb, state.code) or "Din",
                                ctx.record_retention_days, ctx.chat_retention_days, whose=voice.whose)
        shown = f"{say('staff_read_aloud', voice)}\n{notice}" if voice.kind == "staff" else notice
        out.text("ask_consent", shown, (answer_button("button_consent_yes", voice, "ja"),
                                        answer_button("button_no", voice, "nej")))
        return out, {"consent_text": notice}
    if name == "application_confirmed":
        out.text("ask_application_confirmed", summary(state, ctx), _confirm_buttons(voice))
        return out, {}
    out.say(f"ask_{name}", voice, buttons=_buttons(name, voice))
    return out, {}


def _buttons(name: str, voice: Voice) -> Tuple[Button, ...]:
    if name == "applicant_role":
        return (answer_button("button_for_me", voice, "citizen"), answer_button("button_for_other", voice, "relative"))
    if name == "fuldmagt":
        return (answer_button("button_yes", voice, "ja"), answer_button("button_no", voice, "nej"),
                answer_button("button_dont_know", voice, "ved_ikke"))
    if name in OPTIONAL_FIELDS:
        return (answer_button("button_skip", voice, "spring_over"),)
    if name == "call_time":
        return tuple(Button(title.split(" (")[0], answer_button("button_skip", voice, value).payload)
                     for value, title in parse.CALL_TIMES.items())
    return ()


def _confirm_buttons(voice: Voice) -> Tuple[Button, ...]:
    return (answer_button("button_send", voice, "send"), answer_button("button_fix_name", voice, "ret_citizen_name"),
            answer_button("button_fix_phone", voice, "ret_contact_phone"),
            answer_button("button_fix_email", voice, "ret_contact_email"),
            answer_button("button_fix_address", voice, "ret_contact_address"),
            answer_button("button_fix_time", voice, "ret_call_time"), answer_button("button_cancel", voice, "annuller"))


def summary(state: Conversation, ctx: Context) -> str:
    voice, app = state.voice, state.application

    def shown(value: Any) -> str:
        return say("not_given") if value in (None, SKIPPED) else str(value)

    lines = [say("summary_title", voice, kommune=state.name or municipality_name(ctx.kb, state.code)),
             "• " + say("summary_name", voice, value=shown(app.citizen_name))]
    if app.applicant_role == "relative":
        fuldmagt = {"ja": say("answer_yes"), "nej": say("answer_no"), "ved_ikke": say("answer_dont_know")}
        lines.append("• " + say("summary_contact", voice, value=shown(app.contact_name),
                                relation=shown(app.applicant_relation),
                                fuldmagt=fuldmagt.get(app.fuldmagt, say("not_given"))))
    lines += ["• " + say("summary_phone", voice, value=shown(app.contact_phone)),
              "• " + say("summary_email", voice, value=shown(app.contact_email)),
              "• " + say("summary_address", voice, value=shown(app.contact_address)),
              "• " + say("summary_time", voice, value=parse.CALL_TIMES.get(app.call_time, say("not_given")))]
    if state.outcome:
        lines.append("• " + say("summary_assessment", voice, value=headline(state.outcome, voice)))
    lines.append(say("summary_question", voice))
    return "\n".join(lines)


# --- answers ------------------------------------------------------------------------------------

def extract(name: str, turn: Turn) -> Optional[str]:
    """The candidate value for a field: the offered button's value, or what the user wrote."""
    if turn.button is not None:
        return turn.button
    return turn.text.strip() or None


@dataclass
class Validated:
    updates: Dict[str, Any] = field(default_factory=dict)  # field (or other state) → value
    replies: Replies = field(default_factory=Replies)


def validate(name: str, candidate: Optional[str], turn: Turn, state: Conversation, ctx: Context,
             now: Callable[[], dt.datetime]) -> Tuple[Conversation, Validated]:
    """Read the answer to ``name``; the new state and what to say. A field left None is asked again."""
    state = state.copy()
    result = Validated()
    out, voice, app = result.replies, state.voice, state.application
    text, had_cpr = mask_cpr(turn.text or "")  # the channel masks too; a number is never read or kept
    text = text.strip()
    if had_cpr or CPR_MASK in text:
        out.say("cpr_warning", voice)
    turn = replace(turn, text=text)
    if candidate is not None and turn.button is None:
        candidate = text
    folded = fold(text)
    if candidate == "annuller" or CANCEL.match(folded):
        app.state = "cancelled"
        return state, result
    if not turn.button:
        reading.absorb(state, turn, text, ctx)  # "jeg hedder Inge, og min mor er 84": the facts count too
    try:
        _read(name, candidate, turn, state, ctx, now, out)
    except parse.InvalidField as problem:
        if not turn.button and looks_like_question(text) and _answer(state, text, turn, ctx, out):
            return state, result  # a question of its own: answered, and the field is asked again
        _invalid(name, str(problem), state, out)
        return state, result
    if not turn.button and name not in ("consent", "application_confirmed") and looks_like_question(text) \
            and _answer(state, text, turn, ctx, out):
        setattr_field(state, name, None)  # "hvad koster det?" would pass as a name; it is a question
        return state, result
    app.attempts = 0
    if name == "fuldmagt" and app.fuldmagt != "ja":
        out.say("no_fuldmagt", voice)
    return state, result


def setattr_field(state: Conversation, name: str, value: Any) -> None:
    if name == "municipality_code":
        state.code = value
    else:
        setattr(state.application, name, value)


def _answer(state: Conversation, text: str, turn: Turn, ctx: Context, out: Replies) -> bool:
    statements, questions = reading.split(text)
    return reading.answer_questions(state, questions or [text], turn, ctx, out, message=text)


def _read(name: str, value: Optional[str], turn: Turn, state: Conversation, ctx: Context,
          now: Callable[[], dt.datetime], out: Replies) -> None:
    app, text = state.application, (turn.text or "").strip()
    folded = fold(text)
    if name == "municipality_code":
        code = understand(text, ctx.kb).municipality_code or reading.named_municipality(text, ctx)
        if not code:
            raise parse.InvalidField(say("hint_municipality"))
        reading.set_municipality(state, code, ctx)
    elif name == "consent":
        answer = _yes_no(value, turn, folded)
        if answer is None:
            raise parse.InvalidField(say("hint_yes_no"))
        app.consent = answer
        if answer:
            app.consent_at = now().isoformat()
        else:
            app.state = "declined"
    elif name == "applicant_role":
        role = value if value in ("citizen", "relative") else (
            "relative" if re.search(r"\b(?:anden|andre|parorende|min|mit|hende|ham)\b", folded) else
            "citizen" if re.search(r"\b(?:mig|selv)\b", folded) else None)
        if role is None:
            raise parse.InvalidField(say("hint_role"))
        app.applicant_role = role
        if role == "relative" and state.voice_kind != "relative":
            state.voice_kind = "relative"
    elif name == "fuldmagt":
        answer = value if value in ("ja", "nej", "ved_ikke") else (
            "ved_ikke" if turn.intent == "dont_know" or re.search(r"\bved\s+(?:det\s+)?ikke\b", folded) else
            {True: "ja", False: "nej"}.get(_yes_no(None, turn, folded)))
        if answer is None:
            raise parse.InvalidField(say("hint_yes_no_dont_know"))
        app.fuldmagt = answer
    elif name == "applicant_relation":
        app.applicant_relation = parse.parse_relation(text)
    elif name in ("citizen_name", "contact_name"):
        setattr(app, name, parse.parse_name(text))
    elif name == "contact_phone":
        app.contact_phone = parse.parse_phone(text)
    elif name in ("contact_email", "contact_address"):
        if value == "spring_over":
            setattr(app, name, SKIPPED)
        else:
            parsed = parse.parse_email(text) if name == "contact_email" else parse.parse_address(text)
            setattr(app, name, parsed or SKIPPED)
    elif name == "call_time":
        app.call_time = value if value in parse.CALL_TIMES else parse.parse_call_time(text)
    elif name == "application_confirmed":
        if value == "send" or turn.intent == "affirm" or YES.match(folded) or folded.startswith("send"):
            app.application_confirmed = True
            return
        target = value[4:] if value and value.startswith("ret_") else next(
            (f for word, f in FIX_WORDS if word in folded), None)
        if target in APPLICATION_FIELDS:
            setattr_field(state, target, None)
            app.application_confirmed = None
            return
        raise parse.InvalidField(say("hint_confirm"))
    else:
        raise parse.InvalidField(say("hint_generic"))


def _yes_no(value: Optional[str], turn: Turn, folded: str) -> Optional[bool]:
    if value == "ja" or turn.intent == "affirm" and not NO.match(folded) or YES.match(folded):
        return True
    if value == "nej" or turn.intent == "deny" or NO.match(folded):
        return False
    return None


def _invalid(name: str, hint: str, state: Conversation, out: Replies) -> None:
    app = state.application
    app.attempts += 1
    setattr_field(state, name, None)
    if name in OPTIONAL_FIELDS and app.attempts >= 2:
        out.say("skipped_field", state.voice)
        setattr_field(state, name, SKIPPED)
        app.attempts = 0
        return
    if app.attempts >= MAX_ATTEMPTS:
        app.state, app.gave_up_on, app.attempts = "gave_up", name, 0
        return
    out.text("field_hint", hint)


# --- after the form -----------------------------------------------------------------------------

def closing(state: Conversation, ctx: Context, consent_proven: bool) -> Tuple[Optional[str], Replies]:
    """Before sending: why nothing is sent (a catalogue key and its message), or (None, empty)."""
    app, voice, out = state.application, state.voice, Replies()
    phone = contact_text(ctx.kb, state.code, voice)
    reason = {"cancelled": "application_cancelled", "declined": "application_declined",
              "gave_up": "application_gave_up"}.get(app.state) or blocked(state, ctx)
    if reason is None and not (app.consent is True and app.application_confirmed is True and app.id):
        reason = "application_cancelled"  # e.g. a retry button from an earlier, unfinished application
    if reason is None and not consent_proven:
        reason = "application_not_confirmed"  # the slots say yes, the conversation does not
    if reason is None:
        return None, out
    what = say(f"field_{app.gave_up_on}") if app.gave_up_on and say_has(f"field_{app.gave_up_on}") else say("field_other")
    out.text(reason, f"{say(reason, voice, kommune=state.name or '', what=what)}\n{phone}")
    app.state = app.state if app.state in FINISHED else "cancelled"
    return reason, out


def say_has(key: str) -> bool:
    from ..texts import has

    return has(key)


def draft_for(state: Conversation, ctx: Context, channel: str):
    """The record to store, from the conversation (raises when a field is not valid)."""
    app = state.application
    optional = {name: (None if getattr(app, name) in (None, SKIPPED) else getattr(app, name))
                for name in ("contact_email", "contact_address")}
    return build_draft(
        ctx.kb, state.code, {k: v for k, v in state.facts.items() if v is not None},
        contact={"citizen_name": app.citizen_name, "phone": app.contact_phone, "contact_name": app.contact_name,
                 "email": optional["contact_email"], "address": optional["contact_address"],
                 "call_time": app.call_time},
        applicant={"role": app.applicant_role, "relation": app.applicant_relation, "fuldmagt": app.fuldmagt},
        consent_text=app.consent_text or "", consent_version=CONSENT_VERSION,
        consent_at=dt.datetime.fromisoformat(app.consent_at), channel=channel, today=ctx.today,
    )


def too_many(state: Conversation, ctx: Context) -> Replies:
    """Too many applications from this conversation or address: nothing stored, the phone number."""
    voice, out = state.voice, Replies()
    out.text("application_too_many", f"{say('application_too_many', voice)}\n{contact_text(ctx.kb, state.code, voice)}")
    state.application.state = "cancelled"
    return out


def failed_to_store(state: Conversation, ctx: Context) -> Replies:
    voice = state.voice
    out = Replies()
    out.text("application_failed", f"{say('application_failed', voice)}\n{contact_text(ctx.kb, state.code, voice)}",
             (button("button_retry", voice, "/submit_application"),))
    return out


def receipt(state: Conversation, ctx: Context, reference: str, deadlines: List[Dict[str, Any]]) -> Replies:
    """The receipt, after the commit: the reference, what happens next with dates, the phone number."""
    voice, out = state.voice, Replies()
    kommune = state.name or municipality_name(ctx.kb, state.code)
    lines = [say("receipt", voice, kommune=kommune, reference=reference), say("receipt_next", voice)]
    for deadline in deadlines:
        day = danish_date(dt.date.fromisoformat(deadline["date"]))
        lines.append("• " + say("receipt_deadline", voice, text=in_voice(deadline["text"], voice), date=day))
    if deadlines:
        lines.append(sources_line(ctx.kb, [source_of(d["source"]) for d in deadlines]))
    else:
        lines.append("• " + say("receipt_no_deadline", voice))
    lines.append("• " + contact_text(ctx.kb, state.code, voice))
    payload = {"receipt": {"reference": reference, "municipality": {"code": state.code, "name": kommune},
                           "deadlines": deadlines}}
    out.text("receipt", "\n".join(lines), custom=payload, meta={"application": True, "code": state.code})
    state.application.reference, state.application.state = reference, "sent"
    return out
