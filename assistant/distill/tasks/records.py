"""Record-keeping tasks: drawn equipment services with new action shapes (see ``records.py``).

``records``: one call to the right one of two or three sibling actions (log an
inspection, search documents, order parts, request a plan, read a unit's history), with
every stated value in the schema's form: yes/no facts stated in words become booleans,
counts in words become integers, a document kind named by a word becomes the enum value,
durations are converted to the schema's unit, and an optional note only when quoted.
``records_missing``: a required value is absent, so the reply asks for it.
"""

from __future__ import annotations

import random
from typing import Any

from assistant.distill.catalogue import Function
from assistant.distill.records import (
    ACTIONS,
    KINDS,
    NOTES,
    TOPICS,
    Service,
    draw_duration,
    draw_id,
    draw_service,
    fake_result,
    say_number,
)
from assistant.distill.scripted import Answer, Script
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.kit import Drawn, call_family
from assistant.distill.tasks.requests import show

Values = dict[str, Any]
Words = dict[str, str]

SAY: dict[str, list[str]] = {
    "log": [
        "{id}: {flag}, {n} {c} {k}.",
        "Log an inspection for {e} {id}: {flag} and {n} {c} {k}.",
        "just checked the {e} {id} - {flag}, {n} {c} {k}. please log it",
        "{e} {id} inspected: {n} {c} {k}, {flag}.",
        "Record this for {id} (the {e}): {flag}; {c} {k}: {n}.",
    ],
    "search": [
        "Any {kinds} about {topic} for the {e}?",
        "find {kinds} on {topic}, {e}",
        "Search the {e} docs for {kinds} about {topic}.",
        "Is there {a_kind} about {topic} for the {e}?",
        "I need {a_kind} covering {topic} for our {e}.",
    ],
    "search_any": [
        "Search the {e} documents about {topic}.",
        "Anything on {topic} for the {e}?",
        "{topic} docs for the {e}, please.",
    ],
    "order": [
        "Order {q} {part} for {e} {id}.",
        "{id} needs {q} new {part}, please order them.",
        "we need {q} {part} for the {e} ({id})",
        "Please get {q} replacement {part} for {id}.",
    ],
    "request": [
        "{dur_adj} {plan} please for {e} {id}",
        "I'd like a {plan} for {e} {id}, {dur}.",
        "Can I get a {plan} for {id}? For {dur}, please.",
        "{id}: {plan} for {dur}.",
        "Set up the {dur_adj} {plan} for the {e} {id}.",
    ],
    "history": [
        "What's the history of {e} {id}?",
        "When was {id} last checked?",
        "show the log for the {e} {id}",
        "{id} status?",
        "How is {e} {id} doing, any recent inspections?",
    ],
}
OPTIONAL_SAY: dict[str, list[str]] = {
    "note": [' Note: "{note}".', ' Add the comment "{note}".', ' Write down "{note}" too.'],
    "limit": [" Just {limit} results.", " Show at most {limit}."],
}
OPTIONAL_P = {"note": 0.3, "limit": 0.3}


def _words(service: Service) -> Words:
    k = service.kit
    return {
        "e": k.entity,
        "c": k.counted,
        "k": k.checked,
        "part": k.part,
        "plan": service.plan_noun,
        "p": k.prefix,
    }


def request(rng: random.Random, service: Service, action: str) -> tuple[str, Values]:
    """A request for ``action`` in the user's words, and the generic arguments it implies."""
    words = _words(service)
    values: Values = {}
    if "id" in ACTIONS[action].required:
        values["id"] = words["id"] = draw_id(rng, service)
    template = rng.choice(SAY[action])
    if action == "log":
        values["flag"] = rng.random() < 0.5
        flag = service.flag
        words["flag"] = rng.choice(flag.yes if values["flag"] else flag.no)
        values["count"] = rng.randint(0 if rng.random() < 0.1 else 1, 20)
        words["n"] = say_number(rng, values["count"])
    elif action == "search":
        values["topic"] = words["topic"] = rng.choice(TOPICS)
        if rng.random() < 0.75:
            values["kind"] = rng.choice(list(KINDS))
            words["kinds"], words["a_kind"] = KINDS[values["kind"]]
        else:
            template = rng.choice(SAY["search_any"])
    elif action == "order":
        values["quantity"] = rng.randint(2, 20)
        words["q"] = say_number(rng, values["quantity"])
    elif action == "request":
        values["duration"], words["dur_adj"], words["dur"] = draw_duration(rng, service.unit)
    for key in ACTIONS[action].optional:
        if key in OPTIONAL_P and rng.random() < OPTIONAL_P[key]:
            if key == "note":
                values["note"] = words["note"] = rng.choice(NOTES)
            else:
                values["limit"] = rng.randint(2, 4)
                words["limit"] = str(values["limit"])
            template += rng.choice(OPTIONAL_SAY[key])
    prompt = template.format(**words)
    return prompt[0].upper() + prompt[1:] if rng.random() < 0.5 else prompt, values


def answer(service: Service, action: str, values: Values, result: Any) -> tuple[str, list[str]]:
    """The reply written from a call's result, and the result's values it must name."""
    k, e = service.kit, service.entity
    if action == "log":
        entry = result["entry"]
        flag = service.flag.yes[0] if values["flag"] else service.flag.no[0]
        text = f"Logged {e} {values['id']}: {flag}, {values['count']} {k.counted} {k.checked}."
        return f"{text} Entry {entry}.", [entry]
    if action == "search":
        docs = [r["doc"] for r in result]
        found = [f"{r['doc']} ({r['title']}, {r['kind']})" for r in result]
        return f"{e.capitalize()} documents on {values['topic']}: {show(found)}.", docs
    if action == "order":
        order = result["order"]
        eta = show(result["eta_days"])
        return (
            f"Ordered {values['quantity']} {k.part} for {values['id']}: order {order}, "
            f"arriving in {eta} days.",
            [order],
        )
    if action == "request":
        ref = result["reference"]
        return (
            f"The {service.plan_noun} for {values['id']} ({values['duration']} {service.unit}) "
            f"is {result['status']}, reference {ref}.",
            [ref],
        )
    if action == "history":
        state, last = result["state"], result["last_check"]
        return f"{e.capitalize()} {values['id']} is {state}; last checked {last}.", [state, last]
    raise ValueError(action)


def offer(rng: random.Random, service: Service, needed: list[str]) -> list[str | Function]:
    """The needed actions and one or two siblings of the same service, often ``history``."""
    others = [a for a in ACTIONS if a not in needed]
    siblings = rng.sample(others, rng.randint(1, 2))
    if "history" in others and "history" not in siblings and rng.random() < 0.5:
        siblings[0] = "history"
    offered: list[str | Function] = [service.function(a) for a in dict.fromkeys(needed + siblings)]
    rng.shuffle(offered)
    return offered


# -- calls ------------------------------------------------------------------------------------
DRAWN = Drawn(draw_service, request, answer, fake_result, offer)


# -- abstentions ------------------------------------------------------------------------------
MISSING: dict[str, list[tuple[str, str]]] = {
    "log": [
        ("Log an inspection for the {e}.", "Which {e} was it? Please give its id, e.g. {p}-12?"),
        ("{flag}, {n} {c} {k} on the {e}. log it please", "Which {e} was that: what is its id?"),
        ("Log the {e} {id}: {flag}.", "How many {c} were {k}?"),
    ],
    "search": [
        ("Search the {e} documents.", "What topic should I search for?"),
        ("Any {kinds} for the {e}?", "Which topic should the {kinds} be about?"),
    ],
    "order": [
        ("Order more {part} for {e} {id}.", "How many {part} should I order?"),
        ("order {q} {part} for the {e}", "Which {e} are the {part} for: what is its id?"),
    ],
    "request": [
        ("I need a {plan} for {e} {id}.", "How long should the {plan} last?"),
        ("{dur_adj} {plan} for the {e}, please.", "Which {e} is it for: what is its id?"),
    ],
    "history": [
        ("Show me the history of the {e}.", "Which {e}? Please give its id?"),
        ("what's the status of our {e}", "Which {e} do you mean: what is its id?"),
    ],
}


def _missing(rng: random.Random) -> Spec:
    service = draw_service(rng)
    action = rng.choice(list(MISSING))
    template, question = rng.choice(MISSING[action])
    words = _words(service)
    words["id"] = draw_id(rng, service)
    flag = service.flag
    words["flag"] = rng.choice(flag.yes if rng.random() < 0.5 else flag.no)
    words["n"] = say_number(rng, rng.randint(1, 20))
    words["q"] = say_number(rng, rng.randint(1, 20))
    words["kinds"] = KINDS[rng.choice(list(KINDS))][0]
    _, words["dur_adj"], _ = draw_duration(rng, service.unit)
    prompt = template.format(**words)
    reply = question.format(**words)

    def solve() -> Script:
        yield Answer(reply)

    return Spec(
        prompt=prompt[0].upper() + prompt[1:],
        verify=[{"kind": "no_calls"}, {"kind": "asks_question"}],
        solution=solve,
        functions=offer(rng, service, [action]),
    )


def families() -> list[Family]:
    out = [call_family(f"record-{a}", "records", a, DRAWN) for a in ACTIONS]
    out.append(Family("record-missing", "records_missing", "abstain", _missing))
    return out
