"""Catalogue tasks: a fitting function is offered among others, or none fits.

``call`` families: one per catalogue function; the request states the values, the
reply calls the function with exactly those values and answers from its real result.
``abstain`` families: near misses (a same-domain function that cannot answer), requests
missing a required value (the reply asks for it), programming questions and chat
with the assistant's own tools offered (the reply answers from knowledge).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Callable
from typing import Any

from assistant.distill.catalogue import BY_NAME, CATALOGUE, PLANETS, STAFF, STOCK
from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.knowledge import CHAT, QUESTIONS
from assistant.distill.tasks.requests import REQUESTS, missing, phrase, result_text, show

NAMES = [f.name for f in CATALOGUE]


def _offer(rng: random.Random, keep: list[str], extra: tuple[int, int] = (2, 4)) -> list[str]:
    others = [
        n
        for n in NAMES
        if n not in keep and BY_NAME[n].domain not in {BY_NAME[k].domain for k in keep}
    ]
    offered = keep + rng.sample(others, rng.randint(*extra))
    rng.shuffle(offered)
    return offered


def parse_result(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _call_family(name: str) -> Family:
    req = REQUESTS[name]

    def build(rng: random.Random) -> Spec:
        prompt, args, shown = phrase(req, rng)
        expected = BY_NAME[name](**args)

        def solve() -> Script:
            results = yield Call(name, args)
            yield Answer(req.answer(shown, parse_result(results[0].output)))

        return Spec(
            prompt=prompt,
            verify=[
                {"kind": "called", "name": name, "arguments": args},
                {"kind": "answer_has", "texts": _texts(expected)},
            ],
            solution=solve,
            functions=_offer(rng, [name]),
        )

    return Family(f"call-{name}", "functions", "call", build, distinct=False)


def _texts(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        flat = [x for v in value for x in (v if isinstance(v, list) else [v])]
        return [show(x) for x in flat] or ["none"]
    return [result_text(value)]


def _missing_family(name: str) -> Family:
    req = REQUESTS[name]

    def build(rng: random.Random) -> Spec:
        prompt, question = missing(req, rng)

        def solve() -> Script:
            yield Answer(question)

        return Spec(
            prompt=prompt,
            verify=[{"kind": "no_calls"}, {"kind": "asks_question"}],
            solution=solve,
            functions=_offer(rng, [name]),
        )

    return Family(f"missing-{name}", "missing_value", "abstain", build, distinct=False)


# -- near misses: a function of the same domain is offered, and it cannot answer -------------
NearMiss = Callable[[random.Random], tuple[str, str, list[str]]]


def _nm_circle_area(r: random.Random) -> tuple[str, str, list[str]]:
    radius = r.randint(2, 30)
    area = f"{math.pi * radius * radius:.2f}"
    return (
        f"What's the area of a circle with radius {radius}?",
        f"No tool here computes a circle's area; by πr² it is about {area}.",
        [area],
    )


def _nm_rectangle(r: random.Random) -> tuple[str, str, list[str]]:
    w, h = r.randint(2, 40), r.randint(2, 40)
    return (
        f"What's the area of a {w} by {h} rectangle?",
        f"A rectangle's area is width times height: {w} × {h} = {w * h}.",
        [str(w * h)],
    )


def _nm_kelvin(r: random.Random) -> tuple[str, str, list[str]]:
    c = r.randint(-50, 120)
    k = f"{c + 273.15:.2f}"
    return (
        f"Convert {c} °C to Kelvin.",
        f"The converter only goes to Fahrenheit; {c} °C is {k} K (add 273.15).",
        [k],
    )


def _nm_f_to_c(r: random.Random) -> tuple[str, str, list[str]]:
    f = r.randint(-20, 110)
    c = f"{(f - 32) * 5 / 9:.1f}"
    return (
        f"What is {f} °F in Celsius?",
        f"The tool converts the other way; {f} °F is about {c} °C.",
        [c],
    )


def _nm_month(r: random.Random) -> tuple[str, str, list[str]]:
    d = dt.date(r.randint(2015, 2030), r.randint(1, 12), r.randint(1, 28))
    month = d.strftime("%B")
    return (f"Which month is {d.isoformat()} in?", f"{d.isoformat()} is in {month}.", [month])


def _nm_hours(r: random.Random) -> tuple[str, str, list[str]]:
    days = r.randint(2, 60)
    return (
        f"How many hours are there in {days} days?",
        f"{days} days have {days * 24} hours.",
        [str(days * 24)],
    )


def _nm_upper(r: random.Random) -> tuple[str, str, list[str]]:
    word = r.choice(["parse_config", "loadData", "retry_count", "HttpClient", "user_id"])
    return (
        f"Write {word} in all capital letters.",
        f"In capitals: {word.upper()}.",
        [word.upper()],
    )


def _nm_letters(r: random.Random) -> tuple[str, str, list[str]]:
    word = r.choice(["lantern", "harbor", "quartz", "thistle", "glacier", "summit", "velvet"])
    return (
        f'How many letters does "{word}" have?',
        f'"{word}" has {len(word)} letters.',
        [str(len(word))],
    )


def _nm_spell_back(r: random.Random) -> tuple[str, str, list[str]]:
    word = r.choice(["falcon", "copper", "meadow", "nectar", "orbit", "willow"])
    return (
        f'Spell "{word}" backwards, letter by letter.',
        f'Backwards it is "{word[::-1]}".',
        [word[::-1]],
    )


def _nm_sum(r: random.Random) -> tuple[str, str, list[str]]:
    values = [r.randint(1, 99) for _ in range(r.randint(3, 6))]
    return (f"What's the sum of {show(values)}?", f"The sum is {sum(values)}.", [str(sum(values))])


def _nm_price(r: random.Random) -> tuple[str, str, list[str]]:
    item = r.choice(sorted(STOCK))
    return (
        f"How much does a {item} cost?",
        f"The warehouse tool reports stock levels only, so it has no price for the {item}.",
        ["stock"],
    )


def _nm_email(r: random.Random) -> tuple[str, str, list[str]]:
    name = r.choice(sorted(STAFF))
    return (
        f"What's {name}'s email address?",
        "The directory tools only list phone extensions and teams, not email addresses.",
        ["extensions"],
    )


def _nm_planet_order(r: random.Random) -> tuple[str, str, list[str]]:
    order = list(PLANETS)
    i = r.randrange(len(order))
    nth = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"][i]
    return (
        f"Which planet is {nth} from the Sun?",
        f"{order[i]} is the {nth} planet from the Sun.",
        [order[i]],
    )


def _nm_symbol(r: random.Random) -> tuple[str, str, list[str]]:
    name, sym = r.choice(
        [
            ("gold", "Au"),
            ("iron", "Fe"),
            ("silver", "Ag"),
            ("sodium", "Na"),
            ("lead", "Pb"),
            ("copper", "Cu"),
            ("potassium", "K"),
            ("tin", "Sn"),
        ]
    )
    return (f"What's the chemical symbol for {name}?", f"The symbol for {name} is {sym}.", [sym])


def _nm_currency(r: random.Random) -> tuple[str, str, list[str]]:
    amount = r.randint(10, 900)
    cur = r.choice(["Indian rupees", "Brazilian reais", "Korean won", "Mexican pesos"])
    return (
        f"Convert {amount} USD to {cur}.",
        f"The converter only knows USD, EUR, GBP, JPY and CHF, so it has no rate for {cur}.",
        ["USD, EUR, GBP, JPY"],
    )


def _nm_population(r: random.Random) -> tuple[str, str, list[str]]:
    country = r.choice(["France", "Japan", "Kenya", "Canada", "Peru", "Norway"])
    return (
        f"What's the population of {country}?",
        f"The lookup only has capital cities, not populations, so I have no figure for {country}.",
        ["capital"],
    )


def _nm_binary(r: random.Random) -> tuple[str, str, list[str]]:
    n = r.randint(5, 500)
    return (f"Write {n} in binary.", f"{n} in binary is {n:b}.", [f"{n:b}"])


def _nm_sqrt(r: random.Random) -> tuple[str, str, list[str]]:
    n = r.randint(2, 40)
    return (f"What's the square root of {n * n}?", f"The square root of {n * n} is {n}.", [str(n)])


def _nm_simple_interest(r: random.Random) -> tuple[str, str, list[str]]:
    p, rate, years = r.randint(10, 90) * 100, r.randint(2, 9), r.randint(2, 10)
    interest = p * rate * years // 100
    return (
        f"What's the simple (not compound) interest on {p} at {rate}% for {years} years?",
        f"Simple interest is P × r × t = {p} × {rate}% × {years} = {interest}.",
        [str(interest)],
    )


def _nm_day_of_year(r: random.Random) -> tuple[str, str, list[str]]:
    d = dt.date(r.randint(2015, 2030), r.randint(1, 12), r.randint(1, 28))
    n = d.timetuple().tm_yday
    return (
        f"Which day of the year is {d.isoformat()}?",
        f"{d.isoformat()} is day {n} of the year.",
        [str(n)],
    )


def _nm_even(r: random.Random) -> tuple[str, str, list[str]]:
    n = r.randint(100, 9999)
    word = "even" if n % 2 == 0 else "odd"
    return (f"Is {n} even or odd?", f"{n} is {word}.", [word])


def _nm_red(r: random.Random) -> tuple[str, str, list[str]]:
    name, code = r.choice(
        [
            ("red", "#ff0000"),
            ("green", "#00ff00"),
            ("blue", "#0000ff"),
            ("white", "#ffffff"),
            ("black", "#000000"),
        ]
    )
    return (f"What is the hex code for pure {name}?", f"Pure {name} is {code}.", [code])


NEAR_MISSES: list[tuple[str, list[str], NearMiss]] = [
    ("circle-area", ["triangle_area", "circle_circumference"], _nm_circle_area),
    ("rectangle-area", ["triangle_area", "hypotenuse_length"], _nm_rectangle),
    ("kelvin", ["celsius_to_fahrenheit"], _nm_kelvin),
    ("f-to-c", ["celsius_to_fahrenheit"], _nm_f_to_c),
    ("month-name", ["weekday_of_date", "iso_week_number"], _nm_month),
    ("hours-in-days", ["seconds_to_clock"], _nm_hours),
    ("upper-case", ["to_snake_case", "slugify_title"], _nm_upper),
    ("letter-count", ["count_vowels"], _nm_letters),
    ("spell-backwards", ["reverse_word_order"], _nm_spell_back),
    ("sum", ["mean_of_numbers", "median_of_numbers"], _nm_sum),
    ("item-price", ["warehouse_stock", "warehouse_low_stock"], _nm_price),
    ("staff-email", ["staff_extension", "staff_on_team"], _nm_email),
    ("planet-order", ["planet_fact"], _nm_planet_order),
    ("element-symbol", ["atomic_number"], _nm_symbol),
    ("unknown-currency", ["convert_currency_fixed"], _nm_currency),
    ("population", ["capital_city"], _nm_population),
    ("to-binary", ["binary_to_decimal"], _nm_binary),
    ("square-root", ["integer_factorial", "nth_fibonacci"], _nm_sqrt),
    ("simple-interest", ["compound_interest"], _nm_simple_interest),
    ("day-of-year", ["iso_week_number"], _nm_day_of_year),
    ("even-odd", ["check_prime"], _nm_even),
    ("named-colour", ["hex_to_rgb"], _nm_red),
]


def _near_miss_family(fid: str, offered: list[str], make: NearMiss) -> Family:
    def build(rng: random.Random) -> Spec:
        prompt, answer, must = make(rng)

        def solve() -> Script:
            yield Answer(answer)

        return Spec(
            prompt=prompt,
            verify=[{"kind": "no_calls"}, {"kind": "answer_has", "texts": must}],
            solution=solve,
            functions=_offer(rng, list(offered), (1, 3)),
        )

    return Family(f"near-{fid}", "near_miss", "abstain", build)


def _knowledge_family(i: int, question: str, answer: str, must: list[str], category: str) -> Family:
    def build(rng: random.Random) -> Spec:
        def solve() -> Script:
            yield Answer(answer)

        return Spec(
            prompt=question,
            verify=[{"kind": "no_calls"}, {"kind": "answer_has", "texts": must}],
            solution=solve,
            functions=None,
        )

    # each question is its own task: its own answer and check, not a rewording of another
    return Family(f"{category}-{i:03d}", category, "abstain", build)


def families() -> list[Family]:
    out = [_call_family(n) for n in NAMES]
    out += [_missing_family(n) for n in NAMES if REQUESTS[n].missing]
    out += [_near_miss_family(*nm) for nm in NEAR_MISSES]
    out += [_knowledge_family(i, *q, "knowledge") for i, q in enumerate(QUESTIONS)]
    out += [_knowledge_family(i, *q, "chat") for i, q in enumerate(CHAT)]
    return out
