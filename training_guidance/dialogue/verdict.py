"""The assessment as a person wants to read it.

One short message (the outcome, the two or three reasons that decided it, the next step with its
date) that also carries the card payload; the rest (every reason with its source, what to do
instead, caveats, all next steps) behind "Læs mere". Staff also get the journal note.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..assessment import Assessment, assess
from ..deadlines import danish_date
from ..knowledge import Topic
from ..knowledge.schema import Item, Source
from ..texts import Voice, has, in_voice, say
from .context import Context
from .items import contact_text, item_text, municipality_name, source_for_people, sources_line
from .state import Conversation
from ..texts.facts import described_facts
from .turn import Button, Replies, answer_button, button

MAX_REASONS = 3
OUTCOMES = ("stk1", "stk2", "sundhedsloven_140", "not_eligible", "undetermined")


def source_of(cited: str) -> Source:
    """The engine cites "document, section"; split it back for naming it to people."""
    document, _, section = cited.partition(", ")
    return Source(document=document, section=section or "-")


def outcome_key(result: Assessment) -> str:
    """The outcome as the reader is told it: § 140 reads differently for a citizen admitted now."""
    if result.outcome == "sundhedsloven_140" and any(r.id == "admitted" for r in result.reasons):
        return "sundhedsloven_140_admitted"
    return result.outcome


def headline(outcome: str, voice: Voice) -> str:
    return say(f"outcome_{outcome}", voice)


def decisive_reasons(result: Assessment) -> List:
    """The reasons that decided the outcome: the failed ones when refused, else the standard's own
    criteria (more telling than the national routing), at most three."""
    if result.outcome in ("not_eligible", "undetermined") and result.failed:
        return result.failed[:MAX_REASONS]
    local = [r for r in result.reasons if r.met and r.id not in ("temporary_loss", "lasting_need")]
    chosen = (local or [r for r in result.reasons if r.met])[:MAX_REASONS - 1]
    return chosen or result.reasons[:MAX_REASONS]


def next_step_items(result: Assessment, ctx: Context) -> List[Tuple[Item, Optional[Topic]]]:
    """What to do next, most useful first: how to apply and the deadlines that start today."""
    kb, code = ctx.kb, result.municipality_code
    steps: List[Tuple[Item, Optional[Topic]]] = []
    if result.outcome == "sundhedsloven_140":
        # Admitted now: ask the hospital for a plan. With a plan: the municipality delivers; 7 days.
        keys = ["admitted_next"] if outcome_key(result) == "sundhedsloven_140_admitted" else [
            "sundhedsloven_140_delivery", "sundhedsloven_140_start"]
        return [(kb.national.items[k], None) for k in keys if k in kb.national.items]
    if result.outcome in ("stk1", "stk2", "undetermined") and kb.standard_for(code) is not None:
        steps += [(i, Topic.how_to_apply) for i in kb.items(code, Topic.how_to_apply, result.track)[:3]]
        steps += [(i, Topic.deadlines) for i in kb.items(code, Topic.deadlines, result.track)
                  if i.period and i.period.counts_from and i.period.counts_from.value in
                  ("inquiry", "application_received")]
    return steps


def conclude(state: Conversation, result: Assessment, ctx: Context, out: Replies) -> None:
    voice = state.voice
    lines = [headline(outcome_key(result), voice)]
    reasons = decisive_reasons(result)
    if reasons:
        lines.append(say("because", voice))
        for r in reasons:
            key = "reason_met" if r.met else "reason_not_met"
            lines.append(say(key, voice, text=in_voice(r.text, voice)))
    steps = next_step_items(result, ctx)
    sources = [source_of(r.source) for r in reasons]
    if steps:
        item, topic = steps[0]
        lines.append(say("next_step", voice, step=item_text(item, voice, ctx.today, topic)))
        sources.append(item.source)
    else:
        lines.append(say("next_step", voice, step=contact_text(ctx.kb, state.code, voice).split(" Kilde:")[0]))
    lines.append(say("guidance_note", voice))
    if sources:
        lines.append(sources_line(ctx.kb, sources))
    short = "\n".join(lines)
    out.text("assessment", short, custom={"assessment": card(result, state, ctx, short)},
             meta={"outcome": result.outcome, "code": result.municipality_code})
    if voice.kind == "staff":
        note = journal_note(result, state, ctx)
        out.text("journal_note", note, custom={"journal_note": note})
    apply = apply_button(state, ctx)
    out.say("more_or_apply" if apply else "more_only", voice, buttons=closing_buttons(state, ctx))
    state.offer = "verdict_apply" if apply else "verdict_more"  # a bare "ja" or "nej" answers it


def closing_buttons(state: Conversation, ctx: Context) -> Tuple[Button, ...]:
    """After an assessment: apply (where one can be sent from here), read more, a person."""
    voice = state.voice
    buttons: List[Button] = []
    apply = apply_button(state, ctx)
    if apply:
        buttons.append(apply)
    buttons.append(answer_button("button_read_more", voice, "read_more"))
    buttons.append(button("button_person", voice, "/ask_person"))
    return tuple(buttons)


def apply_button(state: Conversation, ctx: Context) -> Optional[Button]:
    """The button that starts an application, where one can be sent from here."""
    if state.outcome == "sundhedsloven_140" or not ctx.served(state.code):
        return None
    key = "button_apply_anyway" if state.outcome == "not_eligible" else "button_apply"
    return button(key, state.voice, "/request_application")


def read_more(state: Conversation, ctx: Context, out: Replies, result: Optional[Assessment] = None) -> None:
    """Everything behind "Læs mere": each reason with its source, alternatives, caveats, next steps."""
    voice = state.voice
    result = result or assess(state.facts, state.code, ctx.today, ctx.kb)
    lines = [say("heading_reasons", voice) + ":"]
    for r in result.reasons:
        lines.append(say("reason_met" if r.met else "reason_not_met", voice, text=in_voice(r.text, voice)))
    for fact in result.unanswered:
        lines.append(say("not_answered", voice, label=ctx.kb.facts[fact].label))
    lines.append(sources_line(ctx.kb, [source_of(r.source) for r in result.reasons]))
    out.text("read_more_reasons", "\n".join(lines))
    if result.alternatives:
        alt = [say("heading_alternatives", voice) + ":"] + [f"• {in_voice(a, voice)}"
                                                              for a in dict.fromkeys(result.alternatives)]
        out.text("read_more_alternatives", "\n".join(alt))
    if result.caveats:
        cav = [say("heading_caveats", voice) + ":"] + [f"• {in_voice(c.text, voice)}" for c in result.caveats]
        out.text("read_more_caveats", "\n".join(cav))
    steps = [say("heading_next_steps", voice) + ":"]
    step_items = next_step_items(result, ctx)
    for item, topic in step_items:
        steps.append(f"• {item_text(item, voice, ctx.today, topic)}")
    if step_items:
        steps.append(sources_line(ctx.kb, [item.source for item, _ in step_items]))
    steps.append(f"• {contact_text(ctx.kb, state.code, voice)}")
    out.text("read_more_next_steps", "\n".join(steps))


def card(result: Assessment, state: Conversation, ctx: Context, short: str) -> Dict[str, Any]:
    """The `assessment` payload a web page draws the card from; every label comes from here."""
    voice = state.voice
    payload = result.as_payload()
    payload.update({
        "headline": headline(outcome_key(result), voice),
        "title": say(f"outcome_title_{outcome_key(result)}", voice),
        "reasons": [{"text": in_voice(r.text, voice), "source": source_for_people(ctx.kb, source_of(r.source)),
                     "met": r.met} for r in result.reasons],
        "caveats": [in_voice(c.text, voice) for c in result.caveats],
        "unanswered": [ctx.kb.facts[f].label for f in result.unanswered if f in ctx.kb.facts],
        "alternatives": [in_voice(a, voice) for a in dict.fromkeys(result.alternatives)],
        "next_steps": [{"text": item_text(i, voice, ctx.today, t), "source": source_for_people(ctx.kb, i.source)}
                       for i, t in next_step_items(result, ctx)]
                      + [{"text": contact_text(ctx.kb, state.code, voice).split(" Kilde:")[0], "source": ""}],
        "standard_file": result.standard_file,
        "labels": card_labels(voice),
        "replaces_texts": [short],
    })
    return payload


def card_labels(voice: Voice = Voice()) -> Dict[str, str]:
    """Every label a page needs to draw the card: the page writes none of its own."""
    return ({key: say(f"heading_{key}", voice) for key in
             ("reasons", "unanswered", "alternatives", "caveats", "next_steps")}
            | {"assessment": say("label_assessment"), "municipality": say("label_municipality"),
               "legal_basis": say("label_legal_basis"), "met": say("met_sr"), "not_met": say("not_met_sr"),
               "unanswered_item": say("unanswered_sr"), "unanswered_suffix": say("unanswered_suffix")})


def outcome_title(outcome: str) -> str:
    key = f"outcome_title_{outcome}"
    return say(key) if has(key) else outcome


def journal_note(result: Assessment, state: Conversation, ctx: Context) -> str:
    """A Danish note for the case system, in staff voice: what the caller said, the outcome, why."""
    staff = Voice("staff")
    kb = ctx.kb
    kommune = municipality_name(kb, result.municipality_code) if result.municipality_code else "ikke oplyst"
    code = f" ({result.municipality_code})" if result.municipality_code else ""
    lines = [say("journal_title", date=danish_date(ctx.today)), say("journal_municipality", kommune=kommune + code),
             say("journal_said")]
    lines += [f"- {label}: {value}" for label, value in described_facts(kb, state.facts)]
    if state.said:
        lines.append(say("journal_own_words"))
        lines += [f"- »{words}«" for words in state.said]
    lines.append(say("journal_assessment", outcome=headline(outcome_key(result), staff)))
    if result.legal_basis:
        lines.append(say("journal_legal_basis", basis=result.legal_basis))
    for r in result.reasons:
        lines.append(say("journal_met" if r.met else "journal_not_met", text=in_voice(r.text, staff), source=r.source))
    open_facts = [kb.facts[f].label for f in result.missing + result.unanswered if f in kb.facts]
    if open_facts:
        lines.append(say("journal_open", facts=", ".join(open_facts)))
    # The caveats too (ældreloven, the date five months have passed, children's rules …): the note
    # is the record of what the caller was told.
    for c in result.caveats:
        if c.id not in ("guidance_not_decision", "standard_date"):
            lines.append(say("journal_caveat", text=in_voice(c.text, staff), source=c.source))
    if result.standard_file:
        lines.append(say("journal_standard", file=result.standard_file))
    return "\n".join(lines)
