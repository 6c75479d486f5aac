"""Service tasks: schemas the model has never seen, drawn per task (see ``services.py``).

``services``: one call to the right one of two or three sibling actions, with the
values as the user wrote them (dates normalised to YYYY-MM-DD, optional parameters only
when asked for). ``services_parallel``: two calls in one turn. Abstentions:
``services_near`` (the service cannot do what is asked), ``services_other`` (the
request is for another service), ``services_missing`` (a required value is missing:
the reply asks for it) and ``services_unrelated`` (a general question).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from assistant.distill.catalogue import Function
from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.services import (
    ACTIONS,
    CITIES,
    REASONS,
    TIMES,
    VENUES,
    Service,
    draw_date,
    draw_ref,
    draw_service,
    fake_result,
)
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.functions import parse_result
from assistant.distill.tasks.kit import Drawn, call_family
from assistant.distill.tasks.knowledge import QUESTIONS
from assistant.distill.tasks.requests import show

Values = dict[str, Any]
Words = dict[str, str]

SAY: dict[str, list[str]] = {
    "book": [
        "Book a {e} at {place} on {date}.",
        "Can you reserve a {e} at {place} for {date}?",
        "I need a {e} at {place} on {date}.",
        "Please book me a {e} at the {place} venue, {date}.",
        "{date}: book a {e} at {place}.",
    ],
    "status": [
        "What's the status of {e} booking {ref}?",
        "Is my {e} booking {ref} confirmed?",
        "Check booking {ref} for me, it's a {e}.",
        "Has {ref} gone through? It's my {e}.",
    ],
    "search": [
        "Find {ps} in {city}.",
        "Which {ps} are there in {city}?",
        "Search for {ps} around {city}.",
        "Any {ps} in {city}?",
    ],
    "cancel": [
        "Cancel my {e} booking {ref}.",
        "Please cancel {ref}, the {e}.",
        "I can't make it, cancel {e} booking {ref}.",
    ],
    "price": [
        "Price check: one {e} at {place} on {date}?",
        "What does a {e} at {place} cost on {date}?",
        "Get me a price for a {e} at {place}, {date}.",
    ],
    "openings": [
        "What times are free for a {e} at {place} on {date}?",
        "When can I get a {e} at {place} on {date}?",
        "Show the free {e} times at {place} for {date}.",
    ],
}
OPTIONAL_SAY: dict[str, list[str]] = {
    "people": [" We are {people}.", " For {people} people.", " Party of {people}."],
    "time": [" In the {time}, please.", " We prefer the {time}."],
    "sms": [" Text me the confirmation.", " Send me an SMS confirmation."],
    "max_price": [" Nothing over {max_price} euros.", " My budget is {max_price} euros."],
    "limit": [" Show me at most {limit}.", " Just the top {limit}."],
    "reason": [" Reason: {reason}."],
}
OPTIONAL_P = {
    "people": 0.4,
    "time": 0.3,
    "sms": 0.25,
    "max_price": 0.3,
    "limit": 0.3,
    "reason": 0.35,
}


def _value(key: str, rng: random.Random, service: Service) -> tuple[Any, str]:
    """(the argument, how the user writes it)."""
    if key == "place":
        v = rng.choice(VENUES)
        return v, v
    if key == "date":
        shown, iso = draw_date(rng)
        return iso, shown
    if key == "ref":
        v = draw_ref(rng, service)
        return v, v
    if key == "city":
        v = rng.choice(CITIES)
        return v, v
    if key == "people":
        v = rng.randint(2, 9)
        return v, str(v)
    if key == "max_price":
        v = rng.randint(3, 12) * 5
        return v, str(v)
    if key == "limit":
        v = rng.randint(2, 4)
        return v, str(v)
    if key == "time":
        v = rng.choice(TIMES)
        return v, v
    if key == "reason":
        v = rng.choice(REASONS)
        return v, v
    if key == "sms":
        return True, "yes"
    raise ValueError(key)


def _words(service: Service) -> Words:
    return {"e": service.entity, "ps": service.plural}


def request(rng: random.Random, service: Service, action: str) -> tuple[str, Values]:
    """A request for ``action`` in the user's words, and the generic arguments it implies."""
    act = ACTIONS[action]
    values: Values = {}
    words = _words(service)
    for key in act.required:
        values[key], words[key] = _value(key, rng, service)
    prompt = rng.choice(SAY[action])
    for key in act.optional:
        if rng.random() < OPTIONAL_P[key]:
            values[key], words[key] = _value(key, rng, service)
            prompt += rng.choice(OPTIONAL_SAY[key])
    return prompt.format(**words), values


def answer(service: Service, action: str, values: Values, result: Any) -> tuple[str, list[str]]:
    """The reply written from a call's result, and the result's values it must name."""
    e = service.entity
    if action == "book":
        ref = result["reference"]
        return f"Booked: a {e} at {values['place']} on {values['date']}, reference {ref}.", [ref]
    if action == "status":
        return f"Booking {values['ref']}: {result['status']}.", [result["status"]]
    if action == "search":
        found = [f"{r['venue']} ({show(r['price'])} EUR)" for r in result]
        venues = [r["venue"] for r in result]
        return f"{service.plural.capitalize()} in {values['city']}: {show(found)}.", venues
    if action == "cancel":
        refund = show(result["refund"])
        return f"Booking {values['ref']} is cancelled; the refund is {refund} EUR.", [refund]
    if action == "price":
        price = show(result["price"])
        return f"A {e} at {values['place']} on {values['date']} costs {price} EUR.", [price]
    if action == "openings":
        times = result["free"]
        return f"Free times at {values['place']} on {values['date']}: {show(times)}.", times
    raise ValueError(action)


def offer(rng: random.Random, service: Service, needed: list[str]) -> list[str | Function]:
    """The needed actions, one or two siblings, and sometimes another service's action."""
    others = [a for a in ACTIONS if a not in needed]
    actions = needed + rng.sample(others, rng.randint(1, 2))
    offered: list[str | Function] = [service.function(a) for a in dict.fromkeys(actions)]
    if rng.random() < 0.4:
        stranger = draw_service(rng, exclude=service.entity)
        offered.append(stranger.function(rng.choice(list(ACTIONS))))
    rng.shuffle(offered)
    return offered


# -- calls ------------------------------------------------------------------------------------
DRAWN = Drawn(draw_service, request, answer, fake_result, offer)


Pair = Callable[[random.Random, Service], tuple[str, list[tuple[str, Values]]]]


def _two_refs(rng: random.Random, service: Service) -> tuple[str, list[tuple[str, Values]]]:
    action = rng.choice(["status", "cancel"])
    r1, r2 = draw_ref(rng, service), draw_ref(rng, service)
    e = service.entity
    say = {
        "status": [
            f"Check the status of my {e} bookings {r1} and {r2}.",
            f"What's the status of {r1} and of {r2}? Both are {e} bookings.",
        ],
        "cancel": [
            f"Cancel both {e} bookings, {r1} and {r2}.",
            f"Please cancel {r1} and {r2}; they are {e} bookings.",
        ],
    }[action]
    return rng.choice(say), [(action, {"ref": r1}), (action, {"ref": r2})]


def _two_cities(rng: random.Random, service: Service) -> tuple[str, list[tuple[str, Values]]]:
    c1, c2 = rng.sample(CITIES, 2)
    ps = service.plural
    say = [f"Find {ps} in {c1} and in {c2}.", f"Search {ps} in both {c1} and {c2}."]
    return rng.choice(say), [("search", {"city": c1}), ("search", {"city": c2})]


def _two_venues(rng: random.Random, service: Service) -> tuple[str, list[tuple[str, Values]]]:
    p1, p2 = rng.sample(VENUES, 2)
    shown, iso = draw_date(rng)
    action = rng.choice(["price", "openings"])
    e = service.entity
    say = {
        "price": [
            f"Compare the price of a {e} at {p1} with one at {p2}, both on {shown}.",
            f"On {shown}, how much is a {e} at {p1}, and at {p2}?",
        ],
        "openings": [
            f"Which {e} times are free on {shown} at {p1} and at {p2}?",
            f"Show free {e} times for {shown} at both {p1} and {p2}.",
        ],
    }[action]
    return rng.choice(say), [
        (action, {"place": p1, "date": iso}),
        (action, {"place": p2, "date": iso}),
    ]


def _book_and_status(rng: random.Random, service: Service) -> tuple[str, list[tuple[str, Values]]]:
    place = rng.choice(VENUES)
    shown, iso = draw_date(rng)
    ref = draw_ref(rng, service)
    e = service.entity
    say = [
        f"Book a {e} at {place} on {shown}, and tell me the status of my booking {ref}.",
        f"Two things: what's the status of {e} booking {ref}, and please book a {e} at {place} for {shown}.",
    ]
    return rng.choice(say), [("book", {"place": place, "date": iso}), ("status", {"ref": ref})]


PAIRS: list[tuple[str, Pair]] = [
    ("two-refs", _two_refs),
    ("two-cities", _two_cities),
    ("two-venues", _two_venues),
    ("book-and-status", _book_and_status),
]


def _parallel_family(fid: str, pair: Pair) -> Family:
    def build(rng: random.Random) -> Spec:
        service = draw_service(rng)
        prompt, wanted = pair(rng, service)
        calls = [Call(service.call_name(a), service.args(v)) for a, v in wanted]
        must = [t for a, v in wanted for t in answer(service, a, v, fake_result(service, a, v))[1]]

        def solve() -> Script:
            results = yield calls
            parts = [
                answer(service, a, v, parse_result(r.output))[0]
                for (a, v), r in zip(wanted, results, strict=True)
            ]
            yield Answer(" ".join(parts))

        return Spec(
            prompt=prompt,
            verify=[
                {
                    "kind": "calls_match",
                    "calls": [{"name": c.name, "arguments": c.args} for c in calls],
                },
                {"kind": "answer_has", "texts": must},
            ],
            solution=solve,
            functions=offer(rng, service, list(dict.fromkeys(a for a, _ in wanted))),
        )

    return Family(f"service-pair-{fid}", "services_parallel", "call", build)


# -- abstentions ------------------------------------------------------------------------------
def _abstain(prompt: str, reply: str, must: list[str], functions: list[str | Function]) -> Spec:
    def solve() -> Script:
        yield Answer(reply)

    return Spec(
        prompt=prompt,
        verify=[{"kind": "no_calls"}, {"kind": "answer_has", "texts": must}],
        solution=solve,
        functions=functions,
    )


def _can_do(service: Service, offered: list[str]) -> str:
    doings = [service.doing(a) for a in offered]
    return ", ".join(doings[:-1]) + " or " + doings[-1] if len(doings) > 1 else doings[0]


EXTRAS: list[tuple[str, str]] = [
    ("What's the phone number of the {place} {e} venue?", "give phone numbers"),
    ("Leave a five-star review for the {e} at {place}.", "post reviews"),
    ("Move my {e} booking {ref} to {date}.", "move a booking to another date"),
    ("What's the cancellation policy for {ps}?", "explain cancellation policies"),
    ("Is there wheelchair access at the {place} {e} venue?", "answer questions about access"),
]


def _near(rng: random.Random) -> Spec:
    service = draw_service(rng)
    actions = rng.sample(list(ACTIONS), rng.randint(2, 3))
    words = _words(service)
    if rng.random() < 0.5:
        missing = [a for a in ACTIONS if a not in actions]
        action = rng.choice(missing)
        prompt, _ = request(rng, service, action)
        cannot = service.doing(action)
    else:
        template, cannot = rng.choice(EXTRAS)
        words |= {"place": rng.choice(VENUES), "ref": draw_ref(rng, service)}
        words["date"] = draw_date(rng)[0]
        prompt = template.format(**words)
    reply = (
        f"None of these tools can {cannot}: they only {_can_do(service, actions)}. "
        f"For that, please contact the {service.entity} venue directly."
    )
    functions: list[str | Function] = [service.function(a) for a in actions]
    rng.shuffle(functions)
    return _abstain(prompt, reply, [cannot], functions)


def _other(rng: random.Random) -> Spec:
    service = draw_service(rng)
    other = draw_service(rng, exclude=service.entity)
    action = rng.choice(list(ACTIONS))
    prompt, _ = request(rng, other, action)
    actions = list(dict.fromkeys([action, *rng.sample(list(ACTIONS), rng.randint(1, 2))]))
    reply = (
        f"These tools only handle {service.plural}, so none of them can "
        f"{other.doing(action)}; that needs a {other.entity} service."
    )
    functions: list[str | Function] = [service.function(a) for a in actions]
    rng.shuffle(functions)
    return _abstain(prompt, reply, [service.plural], functions)


MISSING: dict[str, list[tuple[str, str]]] = {
    "book": [
        ("Book a {e} at {place}.", "Which date would you like the {e} at {place} on?"),
        ("Please reserve a {e} for {date}.", "Which venue should I book the {e} at?"),
    ],
    "status": [("What's the status of my {e} booking?", "What is the booking reference?")],
    "cancel": [("Cancel my {e} booking.", "Which booking reference should I cancel?")],
    "search": [("Find {ps} for me.", "Which city should I search in?")],
    "price": [
        ("Price of a {e} at {place}, please?", "For which date should I get the price?"),
        ("What does a {e} cost on {date}?", "At which venue?"),
    ],
    "openings": [("What times are free for a {e} at {place}?", "On which date?")],
}


def _missing(rng: random.Random) -> Spec:
    service = draw_service(rng)
    action = rng.choice(list(MISSING))
    template, question = rng.choice(MISSING[action])
    words = _words(service) | {"place": rng.choice(VENUES), "date": draw_date(rng)[0]}
    return _abstain(
        template.format(**words),
        question.format(**words),
        [],
        offer(rng, service, [action]),
    )


def _unrelated(rng: random.Random) -> Spec:
    service = draw_service(rng)
    question, reply, must = rng.choice(QUESTIONS)
    return _abstain(question, reply, must, offer(rng, service, [rng.choice(list(ACTIONS))]))


def _asks_instead(spec: Spec) -> Spec:
    spec.verify = [{"kind": "no_calls"}, {"kind": "asks_question"}]
    return spec


def families() -> list[Family]:
    out = [call_family(f"service-{a}", "services", a, DRAWN) for a in ACTIONS]
    out += [_parallel_family(fid, pair) for fid, pair in PAIRS]
    out += [
        Family("service-near", "services_near", "abstain", _near),
        Family("service-other", "services_other", "abstain", _other),
        Family(
            "service-missing", "services_missing", "abstain", lambda r: _asks_instead(_missing(r))
        ),
        Family("service-unrelated", "services_unrelated", "abstain", _unrelated),
    ]
    return out
