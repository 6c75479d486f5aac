"""Hand-written service tasks (see ``assistant/distill/written``).

``written``: one call to the right one of a domain's two sibling actions, with every
required value and the optional values the request states (none it does not), answered
from the result. Abstentions, with the same tools offered: ``written_missing`` (a
required value is left out: the reply asks for it), ``written_near`` (the domain's tools
cannot do what is asked), ``written_other`` (the request is for another domain's tools)
and ``written_unrelated`` (a general question).

``written_heldout`` draws the same calls and abstentions from ``HELD_OUT``, services no
stage of ``make model`` trains on: a validation set written like the eval's services
(checkpoint choice, ``assistant eval calibrate``) that no shipped adapter has seen.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from functools import partial
from typing import Any

from assistant.distill.catalogue import Function
from assistant.distill.scripted import Answer, Script
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.kit import Drawn, call_family
from assistant.distill.tasks.knowledge import QUESTIONS
from assistant.distill.written import Action, Domain
from assistant.distill.written.domains_a import DOMAINS as SET_A
from assistant.distill.written.domains_b import DOMAINS as SET_B
from assistant.distill.written.domains_c import DOMAINS as SET_C
from assistant.distill.written.domains_d import DOMAINS as SET_D
from assistant.distill.written.domains_e import DOMAINS as SET_E
from assistant.distill.written.domains_f import DOMAINS as SET_F
from assistant.distill.written.domains_g import DOMAINS as SET_G
from assistant.distill.written.domains_h import DOMAINS as SET_H
from assistant.distill.written.domains_i import DOMAINS as SET_I

Values = dict[str, Any]

DOMAINS: list[Domain] = [*SET_A, *SET_B, *SET_C, *SET_D, *SET_E]
HELD_OUT: list[Domain] = [*SET_F, *SET_G, *SET_H, *SET_I]
HELD_OUT_CATEGORY = "written_heldout"
"""Drawn only when named in ``--categories`` (see ``TaskSource``)."""
OPTIONAL_P = 0.45
"""How often a request states an optional value its template leaves out."""
STRANGER_P = 0.4
"""How often another domain's action is offered beside the two siblings."""


@dataclass(frozen=True)
class Picked:
    """A drawn domain, as ``kit.call_family`` sees a service; actions are "0" and "1"."""

    domain: Domain

    def action(self, action: str) -> Action:
        return self.domain.actions[int(action)]

    def call_name(self, action: str) -> str:
        return self.action(action).name

    def args(self, values: Values) -> Values:
        return values


def _draw(domains: list[Domain], rng: random.Random) -> Picked:
    return Picked(rng.choice(domains))


def fill(rng: random.Random, act: Action) -> tuple[str, Values]:
    """A request for ``act`` in a user's words, and the arguments it states."""
    template = rng.choice(act.say)
    named = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    values: Values = {}
    shown: dict[str, str] = {}
    for p in act.params:
        if p.name in named or (p.say and rng.random() < OPTIONAL_P):
            values[p.name], shown[p.name] = p.draw(rng)
            if p.name not in named:
                template += rng.choice(p.say)
                if "{v}" in template:
                    template = template.replace("{v}", "{" + p.name + "}")
    prompt = template.format(**shown)
    return (prompt[0].upper() + prompt[1:] if rng.random() < 0.6 else prompt), values


def _request(rng: random.Random, picked: Picked, action: str) -> tuple[str, Values]:
    return fill(rng, picked.action(action))


def _answer(picked: Picked, action: str, values: Values, result: Any) -> tuple[str, list[str]]:
    act = picked.action(action)
    return act.reply.format(**values, **result), [str(v) for v in result.values()]


def _fake(picked: Picked, action: str, values: Values) -> Any:
    return picked.action(action).run(**values)


def offer(
    rng: random.Random, domain: Domain, domains: list[Domain] = DOMAINS
) -> list[str | Function]:
    """The domain's two actions and sometimes one action of another of ``domains``,
    shuffled."""
    offered: list[str | Function] = list(domain.functions())
    if rng.random() < STRANGER_P:
        other = rng.choice([d for d in domains if d is not domain])
        offered.append(rng.choice(other.actions).function(other.key))
    rng.shuffle(offered)
    return offered


def _drawn(domains: list[Domain]) -> Drawn[Picked]:
    def _offer(rng: random.Random, picked: Picked, needed: list[str]) -> list[str | Function]:
        return offer(rng, picked.domain, domains)

    return Drawn(partial(_draw, domains), _request, _answer, _fake, _offer)


# -- abstentions ------------------------------------------------------------------------------
def _spec(
    rng: random.Random,
    prompt: str,
    reply: str,
    check: dict[str, Any],
    domain: Domain,
    domains: list[Domain],
) -> Spec:
    def solve() -> Script:
        yield Answer(reply)

    return Spec(
        prompt=prompt,
        verify=[{"kind": "no_calls"}, check],
        solution=solve,
        functions=offer(rng, domain, domains),
    )


def _only(domain: Domain) -> str:
    a, b = domain.actions
    return f"{a.doing} or {b.doing}"


def _missing(domains: list[Domain], rng: random.Random) -> Spec:
    domain = rng.choice([d for d in domains if any(a.missing for a in d.actions)])
    act = rng.choice([a for a in domain.actions if a.missing])
    prompt, question = rng.choice(act.missing)
    return _spec(rng, prompt, question, {"kind": "asks_question"}, domain, domains)


def _near(domains: list[Domain], rng: random.Random) -> Spec:
    domain = rng.choice(domains)
    prompt, cannot = rng.choice(domain.cannot)
    reply = f"None of these tools can {cannot}: they only {_only(domain)}."
    check = {"kind": "answer_has", "texts": [cannot]}
    return _spec(rng, prompt, reply, check, domain, domains)


def _other(domains: list[Domain], rng: random.Random) -> Spec:
    domain, other = rng.sample(domains, 2)
    act = rng.choice(other.actions)
    prompt, _ = fill(rng, act)
    reply = (
        f"These tools only handle {domain.topic}, so none of them can {act.doing}; "
        f"that needs a tool for {other.topic}."
    )
    check = {"kind": "answer_has", "texts": [domain.topic]}
    spec = _spec(rng, prompt, reply, check, domain, domains)
    spec.functions = [f for f in spec.functions or [] if getattr(f, "domain", "") != other.key]
    return spec


def _unrelated(domains: list[Domain], rng: random.Random) -> Spec:
    domain = rng.choice(domains)
    question, reply, must = rng.choice(QUESTIONS)
    return _spec(rng, question, reply, {"kind": "answer_has", "texts": must}, domain, domains)


def families() -> list[Family]:
    drawn, held = _drawn(DOMAINS), _drawn(HELD_OUT)
    return [
        call_family("written-0", "written", "0", drawn),
        call_family("written-1", "written", "1", drawn),
        Family("written-missing", "written_missing", "abstain", partial(_missing, DOMAINS)),
        Family("written-near", "written_near", "abstain", partial(_near, DOMAINS)),
        Family("written-other", "written_other", "abstain", partial(_other, DOMAINS)),
        Family("written-unrelated", "written_unrelated", "abstain", partial(_unrelated, DOMAINS)),
        # the held-out services: one category, their calls and each kind of abstention
        call_family("heldout-0", HELD_OUT_CATEGORY, "0", held),
        call_family("heldout-1", HELD_OUT_CATEGORY, "1", held),
        Family("heldout-missing", HELD_OUT_CATEGORY, "abstain", partial(_missing, HELD_OUT)),
        Family("heldout-near", HELD_OUT_CATEGORY, "abstain", partial(_near, HELD_OUT)),
        Family("heldout-other", HELD_OUT_CATEGORY, "abstain", partial(_other, HELD_OUT)),
        Family("heldout-unrelated", HELD_OUT_CATEGORY, "abstain", partial(_unrelated, HELD_OUT)),
    ]
