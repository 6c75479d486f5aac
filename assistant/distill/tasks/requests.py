"""How users ask for each catalogue function: argument samplers, phrasings, answers.

A request states every argument value the call needs (in the user's words: "2^10",
"3, 5 and 8", "kilometres"); optional parameters appear only when the request says
so. ``missing`` is the same request without a required value, and the question the
assistant should ask back instead of calling.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.distill.catalogue import (
    CAPITALS,
    ELEMENTS,
    PLANETS,
    STAFF,
    STOCK,
    TEAMS,
    _num,
)

Args = dict[str, Any]


@dataclass(frozen=True)
class Request:
    sample: Callable[[random.Random], Args]
    say: tuple[str, ...]
    """Prompt templates; ``{name}`` is the argument as the user writes it."""
    answer: Callable[[Args, Any], str]
    missing: tuple[str, str] | None = None
    """(a request lacking a required value, the question that asks for it); both may use
    ``{name}`` for the values the request does state."""
    optional: dict[str, str] = field(default_factory=dict)
    """Sentence appended to the prompt when that optional argument is present."""
    shown: Callable[[Args], dict[str, str]] | None = None
    """How the user writes the arguments, when not the plain values."""


def show(value: Any) -> str:
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return ", ".join("(" + ", ".join(show(x) for x in v) + ")" for v in value)
        items = [show(x) for x in value]
        return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
    return str(value)


def result_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return "; ".join(", ".join(show(x) for x in v) for v in value)
        return ", ".join(show(x) for x in value) if value else "none"
    return show(value)


def _said(f: str) -> Callable[[Args, Any], str]:
    return lambda a, r: f.format(r=result_text(r), **{k: show(v) for k, v in a.items()})


def _yesno(yes: str, no: str) -> Callable[[Args, Any], str]:
    return lambda a, r: (yes if r else no).format(**{k: show(v) for k, v in a.items()})


def _n(rng: random.Random, lo: int, hi: int) -> int:
    return rng.randint(lo, hi)


def _f(rng: random.Random, lo: float, hi: float, places: int = 1) -> float:
    return round(rng.uniform(lo, hi), places)


def _maybe(rng: random.Random, args: Args, key: str, value: Any, p: float = 0.35) -> Args:
    if rng.random() < p:
        args[key] = value
    return args


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


WORDS = [
    "river",
    "lantern",
    "copper",
    "meadow",
    "harbor",
    "pixel",
    "orbit",
    "maple",
    "signal",
    "velvet",
    "cobalt",
    "ember",
    "tundra",
    "quartz",
    "falcon",
    "willow",
    "atlas",
    "canyon",
    "glacier",
    "nectar",
    "summit",
    "thistle",
    "breeze",
    "marble",
]
FRUITS = ["apple", "pear", "plum", "kiwi", "mango", "fig", "lime", "grape", "peach", "cherry"]
TITLES = [
    "Getting Started with Rust Macros",
    "Ten Tips for Faster SQL",
    "Why We Moved to Postgres",
    "A Field Guide to Flaky Tests",
    "Shipping Python Wheels in 2025",
    "Notes on Async Rust",
    "How Our CI Got 3x Faster",
    "Designing Small APIs",
]
IDENTS = [
    "parseHttpHeader",
    "UserAccountId",
    "maxRetryCount",
    "loadConfigFile",
    "HTMLRenderer2",
    "sendEmailNow",
    "ProjectSettings",
    "totalBytesRead",
    "isValidToken",
    "XmlParserState",
]
PHRASES = [
    "Never odd or even",
    "Step on no pets",
    "Was it a car or a cat I saw",
    "Open the pod bay doors",
    "Red roses run no risk sir on Nurse's order",
    "Madam in Eden I'm Adam",
    "This is not a palindrome",
    "Rats live on no evil star",
    "Keep calm and carry on",
    "No lemon no melon",
]
SENTENCES = [
    "the quick brown fox jumps over the lazy dog",
    "we ship small changes every day",
    "tests tell you when the code lies",
    "read the error message twice",
    "small models need clean data",
    "cache invalidation is hard",
]


def _expr(rng: random.Random) -> tuple[str, str]:
    a, b, c = rng.randint(2, 30), rng.randint(2, 12), rng.randint(1, 9)
    form = rng.randrange(4)
    if form == 0:
        return f"({a} + {b}) * {c}", f"({a} + {b}) * {c}"
    if form == 1:
        return f"{b}^{c % 4 + 2} - {a}", f"{b} ** {c % 4 + 2} - {a}"
    if form == 2:
        return f"{a} × {b} + {c}", f"{a} * {b} + {c}"
    return f"{a * c} ÷ {c} + {b}", f"{a * c} / {c} + {b}"


def _expr_args(rng: random.Random) -> Args:
    shown, py = _expr(rng)
    return {"expression": py, "_shown": shown}


REQUESTS: dict[str, Request] = {
    "triangle_area": Request(
        lambda r: {"base": _f(r, 2, 40), "height": _f(r, 2, 30)},
        (
            "What's the area of a triangle with base {base} and height {height}?",
            "A triangle has a base of {base} cm and a height of {height} cm. How big is its area?",
            "Find the area of the triangle: base {base}, height {height}.",
        ),
        _said("The triangle's area is {r}."),
        ("I need the area of a triangle whose base is {base}.", "What is the triangle's height?"),
    ),
    "hypotenuse_length": Request(
        lambda r: {"leg_a": float(_n(r, 2, 40)), "leg_b": float(_n(r, 2, 40))},
        (
            "A right triangle has legs {leg_a} and {leg_b}. How long is the hypotenuse?",
            "Hypotenuse for legs of {leg_a} m and {leg_b} m, please.",
            "What is the long side of a right triangle with sides {leg_a} and {leg_b}?",
        ),
        _said("The hypotenuse is {r}."),
        (
            "How long is the hypotenuse of a right triangle with one leg of {leg_a}?",
            "How long is the other leg?",
        ),
    ),
    "circle_circumference": Request(
        lambda r: {"radius": _f(r, 0.5, 50)},
        (
            "What's the circumference of a circle with radius {radius}?",
            "A wheel has a radius of {radius} cm. How far is once around it?",
        ),
        _said("The circumference is {r}."),
        ("Work out a circle's circumference for me.", "What is the circle's radius?"),
    ),
    "point_distance": Request(
        lambda r: {
            "p1": [float(_n(r, -20, 20)), float(_n(r, -20, 20))],
            "p2": [float(_n(r, -20, 20)), float(_n(r, -20, 20))],
        },
        (
            "How far apart are the points ({p1x}, {p1y}) and ({p2x}, {p2y})?",
            "Distance between ({p1x},{p1y}) and ({p2x},{p2y})?",
        ),
        _said("The distance is {r}."),
        ("How far is the point ({p1x}, {p1y}) from the other point?", "Which is the other point?"),
        shown=lambda a: {
            "p1x": show(a["p1"][0]),
            "p1y": show(a["p1"][1]),
            "p2x": show(a["p2"][0]),
            "p2y": show(a["p2"][1]),
        },
    ),
    "polygon_perimeter": Request(
        lambda r: {
            "vertices": [
                [0.0, 0.0],
                [float(_n(r, 2, 9)), 0.0],
                [float(_n(r, 2, 9)), float(_n(r, 2, 9))],
            ]
        },
        (
            "What is the perimeter of the polygon with vertices {vertices}?",
            "Perimeter of the shape with corners {vertices}, in that order?",
        ),
        _said("The perimeter is {r}."),
        ("What's the perimeter of my polygon?", "What are the polygon's vertices, in order?"),
    ),
    "greatest_common_divisor": Request(
        lambda r: {"a": _n(r, 12, 400) * 2, "b": _n(r, 6, 300) * 2},
        (
            "What's the greatest common divisor of {a} and {b}?",
            "gcd({a}, {b}) = ?",
            "Largest number that divides both {a} and {b}?",
        ),
        _said("The greatest common divisor of {a} and {b} is {r}."),
        (
            "What's the greatest common divisor of {a} and another number?",
            "Which second number should I use?",
        ),
    ),
    "integer_factorial": Request(
        lambda r: {"n": _n(r, 3, 20)},
        ("What is {n} factorial?", "Compute {n}!", "How many ways can {n} people stand in a line?"),
        _said("{n}! is {r}."),
        ("Give me a factorial, please.", "Which number's factorial do you want?"),
    ),
    "nth_fibonacci": Request(
        lambda r: {"n": _n(r, 5, 80)},
        (
            "What is Fibonacci number {n}?",
            "Give me F({n}) with F(0) = 0.",
            "Which value is at position {n} of the Fibonacci sequence?",
        ),
        _said("F({n}) is {r}."),
        ("Look up a Fibonacci number for me.", "Which position in the sequence do you want?"),
    ),
    "check_prime": Request(
        lambda r: {"n": _n(r, 50, 9999)},
        ("Is {n} a prime number?", "Check whether {n} is prime.", "Prime or not: {n}?"),
        _yesno("Yes, {n} is prime.", "No, {n} is not prime."),
        ("Is this number prime?", "Which number should I check?"),
    ),
    "roman_numeral": Request(
        lambda r: {"number": _n(r, 4, 3999)},
        ("Write {number} in Roman numerals.", "What is {number} as a Roman numeral?"),
        _said("{number} is {r} in Roman numerals."),
        ("Convert my year of birth to Roman numerals.", "Which year were you born in?"),
    ),
    "binary_to_decimal": Request(
        lambda r: {"bits": format(_n(r, 5, 4000), "b")},
        ("What is binary {bits} in decimal?", "Convert 0b{bits} to a decimal number."),
        _said("Binary {bits} is {r} in decimal."),
        ("Turn a binary number into decimal for me.", "Which binary number should I convert?"),
    ),
    "evaluate_arithmetic": Request(
        _expr_args,
        ("Calculate {_shown}.", "What does {_shown} come to?", "Evaluate {_shown} for me."),
        _said("{_shown} = {r}."),
        ("Can you evaluate an expression for me?", "Which expression should I evaluate?"),
    ),
    "compound_interest": Request(
        lambda r: _maybe(
            r,
            {
                "principal": float(_n(r, 5, 200) * 100),
                "rate_percent": _f(r, 1, 8),
                "years": _n(r, 1, 30),
            },
            "compounds_per_year",
            r.choice([4, 12]),
        ),
        (
            "I deposit {principal} at {rate_percent}% a year for {years} years. What's the balance?",
            "Compound interest: {principal} principal, {rate_percent} percent, {years} years.",
        ),
        _said("After {years} years the balance is {r}."),
        (
            "What will {principal} be worth at {rate_percent}% interest?",
            "For how many years will it grow?",
        ),
        optional={"compounds_per_year": " Interest is added {compounds_per_year} times a year."},
    ),
    "percentage_of": Request(
        lambda r: _maybe(
            r,
            {"part": float(_n(r, 1, 90)), "whole": float(_n(r, 100, 400))},
            "decimals",
            r.choice([0, 2, 3]),
        ),
        ("What percentage of {whole} is {part}?", "{part} out of {whole} is what percent?"),
        _said("{part} is {r}% of {whole}."),
        ("What percent is {part} of the total?", "What is the total?"),
        optional={"decimals": " Give it to {decimals} decimal places."},
    ),
    "mean_of_numbers": Request(
        lambda r: {"values": [float(_n(r, 1, 99)) for _ in range(_n(r, 3, 7))]},
        ("What's the average of {values}?", "Mean of these numbers: {values}."),
        _said("The mean is {r}."),
        ("What's the average of my test scores?", "What are the scores?"),
    ),
    "median_of_numbers": Request(
        lambda r: {"values": [float(_n(r, 1, 99)) for _ in range(_n(r, 3, 8))]},
        ("What's the median of {values}?", "Find the middle value of {values}."),
        _said("The median is {r}."),
        ("Find the median of the response times.", "What are the response times?"),
    ),
    "value_range": Request(
        lambda r: {"values": [float(_n(r, -50, 150)) for _ in range(_n(r, 3, 7))]},
        (
            "What's the spread between the largest and smallest of {values}?",
            "Range of the readings {values}?",
        ),
        _said("The range is {r}."),
        ("What's the range of the temperatures I logged?", "Which temperatures did you log?"),
    ),
    "split_bill": Request(
        lambda r: _maybe(
            r,
            {"total": _f(r, 20, 400, 2), "people": _n(r, 2, 9)},
            "tip_percent",
            float(r.choice([10, 12, 15, 18, 20])),
            0.5,
        ),
        (
            "We're {people} people and the bill is {total}. How much does each pay?",
            "Split a {total} bill between {people} friends.",
        ),
        _said("Each person pays {r}."),
        ("Split the restaurant bill for the {people} of us.", "What is the bill's total?"),
        optional={"tip_percent": " Add a {tip_percent}% tip."},
    ),
    "celsius_to_fahrenheit": Request(
        lambda r: {"celsius": _f(r, -40, 45)},
        (
            "What is {celsius} °C in Fahrenheit?",
            "Convert {celsius} degrees Celsius to Fahrenheit.",
            "It's {celsius}C here; what's that in F?",
        ),
        _said("{celsius} °C is {r} °F."),
        ("Convert this temperature to Fahrenheit for me.", "Which temperature in Celsius?"),
    ),
    "convert_length": Request(
        lambda r: dict(
            zip(
                ("from_unit", "to_unit"),
                r.sample(["mm", "cm", "m", "km", "in", "ft", "mi"], 2),
                strict=True,
            ),
            value=_f(r, 1, 500),
        ),
        ("Convert {value} {from_unit} to {to_unit}.", "How many {to_unit} is {value} {from_unit}?"),
        _said("{value} {from_unit} is {r} {to_unit}."),
        (
            "Convert that length from {from_unit} to {to_unit}.",
            "What length in {from_unit} should I convert?",
        ),
    ),
    "convert_weight": Request(
        lambda r: dict(
            zip(("from_unit", "to_unit"), r.sample(["g", "kg", "lb", "oz"], 2), strict=True),
            value=_f(r, 1, 300),
        ),
        ("Convert {value} {from_unit} to {to_unit}.", "What is {value} {from_unit} in {to_unit}?"),
        _said("{value} {from_unit} is {r} {to_unit}."),
        (
            "My suitcase weighs too much; convert its weight from {from_unit} to {to_unit}.",
            "How much does the suitcase weigh in {from_unit}?",
        ),
    ),
    "kmh_to_ms": Request(
        lambda r: {"speed_kmh": float(_n(r, 5, 300))},
        ("What is {speed_kmh} km/h in metres per second?", "Convert {speed_kmh} kph to m/s."),
        _said("{speed_kmh} km/h is {r} m/s."),
        ("Convert my cycling speed to metres per second.", "What is your speed in km/h?"),
    ),
    "format_byte_size": Request(
        lambda r: _maybe(r, {"num_bytes": _n(r, 1000, 9_000_000_000)}, "binary", True),
        (
            "How big is {num_bytes} bytes in readable units?",
            "Show {num_bytes} bytes as a human size.",
        ),
        _said("{num_bytes} bytes is {r}."),
        ("How large is the file in megabytes?", "How many bytes is the file?"),
        optional={"binary": " Use binary units (KiB, MiB)."},
    ),
    "liters_to_gallons": Request(
        lambda r: _maybe(r, {"liters": _f(r, 1, 200)}, "imperial", True),
        ("How many gallons is {liters} litres?", "Convert {liters} L to gallons."),
        _said("{liters} litres is {r} gallons."),
        ("How many gallons does my tank hold?", "How many litres does the tank hold?"),
        optional={"imperial": " I mean imperial gallons."},
    ),
    "days_between_dates": Request(
        lambda r: {"start": _date(r), "end": _date(r)},
        ("How many days are there from {start} to {end}?", "Days between {start} and {end}?"),
        _said("From {start} to {end} is {r} days."),
        ("How many days until {end}?", "From which date should I count?"),
    ),
    "weekday_of_date": Request(
        lambda r: {"date": _date(r)},
        ("What day of the week is {date}?", "Which weekday falls on {date}?"),
        _said("{date} is a {r}."),
        ("What weekday was I born on?", "What is your date of birth?"),
    ),
    "shift_date": Request(
        lambda r: {"date": _date(r), "days": _n(r, -400, 400)},
        ("What date is {days} days after {date}?", "Add {days} days to {date}."),
        _said("{days} days from {date} is {r}."),
        ("What's the date {days} days from my start date?", "What is your start date?"),
    ),
    "is_leap_year": Request(
        lambda r: {"year": _n(r, 1600, 2400)},
        ("Is {year} a leap year?", "Was {year} a leap year?"),
        _yesno("Yes, {year} is a leap year.", "No, {year} is not a leap year."),
        ("Is the year of our launch a leap year?", "Which year is the launch?"),
    ),
    "iso_week_number": Request(
        lambda r: {"date": _date(r)},
        ("Which ISO week is {date} in?", "ISO week number of {date}?"),
        _said("{date} is in ISO week {r}."),
        ("What ISO week is the release in?", "What is the release date?"),
    ),
    "seconds_to_clock": Request(
        lambda r: {"seconds": _n(r, 61, 200_000)},
        ("Write {seconds} seconds as hours, minutes and seconds.", "{seconds} s in H:MM:SS?"),
        _said("{seconds} seconds is {r}."),
        ("How long is the build in hours and minutes?", "How many seconds did the build take?"),
    ),
    "count_vowels": Request(
        lambda r: {"text": " ".join(r.sample(WORDS, 3))},
        ('How many vowels are in "{text}"?', 'Count the vowels in the phrase "{text}".'),
        _said('"{text}" has {r} vowels.'),
        ("Count the vowels in my sentence.", "Which sentence should I count?"),
    ),
    "reverse_word_order": Request(
        lambda r: {"sentence": r.choice(SENTENCES)},
        ('Reverse the word order of "{sentence}".', 'Say "{sentence}" backwards, word by word.'),
        _said('Reversed: "{r}".'),
        ("Reverse the words of my slogan.", "What is the slogan?"),
    ),
    "slugify_title": Request(
        lambda r: _maybe(r, {"title": r.choice(TITLES)}, "separator", "_"),
        ('Make a URL slug for "{title}".', 'Slug for the post titled "{title}"?'),
        _said("The slug is {r}."),
        ("Make a slug for my next blog post.", "What is the post's title?"),
        optional={"separator": " Join the words with {separator}."},
    ),
    "caesar_shift": Request(
        lambda r: {"text": r.choice(WORDS), "shift": _n(r, 1, 25)},
        (
            'Shift every letter of "{text}" by {shift} (Caesar cipher).',
            'Encode "{text}" with a Caesar shift of {shift}.',
        ),
        _said('"{text}" shifted by {shift} is "{r}".'),
        ("Encode the word {text} with a Caesar cipher.", "By how many places should I shift?"),
    ),
    "top_words": Request(
        lambda r: _maybe(
            r, {"text": " ".join(r.choice(FRUITS) for _ in range(12))}, "top_n", r.choice([1, 2, 4])
        ),
        ('Which words occur most often in "{text}"?', 'Most frequent words of: "{text}"'),
        _said("The most frequent: {r}."),
        ("What are the most common words in my essay?", "Could you paste the essay's text?"),
        optional={"top_n": " Just the top {top_n}."},
    ),
    "is_palindrome_phrase": Request(
        lambda r: {"text": r.choice(PHRASES)},
        ('Is "{text}" a palindrome?', 'Does "{text}" read the same backwards?'),
        _yesno('Yes, "{text}" is a palindrome.', 'No, "{text}" is not a palindrome.'),
        ("Is my phrase a palindrome?", "Which phrase should I check?"),
    ),
    "to_snake_case": Request(
        lambda r: {"name": r.choice(IDENTS)},
        ("Convert {name} to snake_case.", "What is {name} in snake case?"),
        _said("{name} becomes {r}."),
        ("Convert my class name to snake_case.", "What is the class name?"),
    ),
    "text_digest": Request(
        lambda r: _maybe(
            r, {"text": r.choice(WORDS) + "-" + str(_n(r, 1, 999))}, "length", r.choice([6, 12, 16])
        ),
        ('Give me the SHA-256 prefix of "{text}".', 'Short hash of the string "{text}"?'),
        _said('The hash prefix of "{text}" is {r}.'),
        ("Hash my password string.", "Which string should I hash?"),
        optional={"length": " Keep {length} characters."},
    ),
    "hex_to_rgb": Request(
        lambda r: {"hex_color": f"#{_n(r, 0, 255):02x}{_n(r, 0, 255):02x}{_n(r, 0, 255):02x}"},
        ("What are the RGB values of {hex_color}?", "Break {hex_color} into red, green and blue."),
        _said("{hex_color} is RGB {r}."),
        ("What RGB values is our brand colour?", "What is the brand colour's hex code?"),
    ),
    "rgb_to_hex": Request(
        lambda r: {"red": _n(r, 0, 255), "green": _n(r, 0, 255), "blue": _n(r, 0, 255)},
        (
            "Hex code for rgb({red}, {green}, {blue})?",
            "Red {red}, green {green}, blue {blue} as hex?",
        ),
        _said("rgb({red}, {green}, {blue}) is {r}."),
        ("Hex code for a colour with red {red} and green {green}?", "What is the blue component?"),
    ),
    "sort_numbers": Request(
        lambda r: _maybe(
            r, {"values": [float(_n(r, -99, 99)) for _ in range(_n(r, 4, 8))]}, "descending", True
        ),
        ("Sort these numbers: {values}.", "Put {values} in order."),
        _said("Sorted: {r}."),
        ("Sort my list of prices.", "Which prices should I sort?"),
        optional={"descending": " Largest first."},
    ),
    "unique_items": Request(
        lambda r: {"items": [r.choice(FRUITS[:5]) for _ in range(8)]},
        ("Remove the duplicates from {items}.", "Which distinct items are in {items}?"),
        _said("The distinct items: {r}."),
        ("Remove duplicates from my shopping list.", "What is on the shopping list?"),
    ),
    "common_items": Request(
        lambda r: {"first": r.sample(FRUITS, 5), "second": r.sample(FRUITS, 5)},
        (
            "Which items are in both {first} and {second}?",
            "Find what the lists [{first}] and [{second}] have in common.",
        ),
        _said("In both lists: {r}."),
        ("Which fruits are in both my list and Sam's?", "What are the two lists?"),
    ),
    "chunk_items": Request(
        lambda r: {"items": r.sample(WORDS, _n(r, 5, 9)), "size": _n(r, 2, 4)},
        ("Split {items} into groups of {size}.", "Chunk the list {items} into pieces of {size}."),
        _said("The groups: {r}."),
        ("Split the team names into groups of {size}.", "What are the team names?"),
    ),
    "warehouse_stock": Request(
        lambda r: {"item": r.choice(sorted(STOCK))},
        (
            "How many {item}s do we have in the warehouse?",
            "Stock level of {item}?",
            "Check the warehouse count for {item}.",
        ),
        _said("The warehouse has {r} units of {item}."),
        ("How many units are left in the warehouse?", "Which part should I check?"),
    ),
    "warehouse_low_stock": Request(
        lambda r: {"threshold": r.choice([5, 10, 15, 20, 25, 35, 50])},
        (
            "Which warehouse parts are below {threshold} units?",
            "List parts with fewer than {threshold} in stock.",
        ),
        _said("Below {threshold} units: {r}."),
        ("Which parts are running low?", "Below how many units does a part count as low?"),
    ),
    "staff_extension": Request(
        lambda r: {"name": r.choice(sorted(STAFF))},
        ("What's {name}'s phone extension?", "Which extension do I dial for {name}?"),
        _said("{name} is on extension {r}."),
        ("What's the extension of my new colleague?", "What is your colleague's name?"),
    ),
    "staff_on_team": Request(
        lambda r: {"team": r.choice(TEAMS)},
        ("Who is on the {team} team?", "List the people in {team}."),
        _said("The {team} team: {r}."),
        ("Who's on my team?", "Which team are you on?"),
    ),
    "planet_fact": Request(
        lambda r: {
            "planet": r.choice(sorted(PLANETS)),
            "fact": r.choice(["moons", "diameter_km", "day_hours"]),
        },
        (
            "From the planet table, what is the {fact} value for {planet}?",
            "Look up {planet}'s {fact} in the table.",
        ),
        _said("{planet}'s {fact} is {r}."),
        ("What is the {fact} value of that planet?", "Which planet do you mean?"),
    ),
    "atomic_number": Request(
        lambda r: {"symbol": r.choice(sorted(ELEMENTS))},
        ("What's the atomic number of {symbol}?", "Atomic number for element {symbol}?"),
        _said("{symbol} has atomic number {r}."),
        ("What's the atomic number of the element in my sample?", "Which element is it?"),
    ),
    "convert_currency_fixed": Request(
        lambda r: dict(
            zip(
                ("from_currency", "to_currency"),
                r.sample(["USD", "EUR", "GBP", "JPY", "CHF"], 2),
                strict=True,
            ),
            amount=float(_n(r, 5, 5000)),
        ),
        (
            "Convert {amount} {from_currency} to {to_currency} at the shop's rates.",
            "How much is {amount} {from_currency} in {to_currency}?",
        ),
        _said("{amount} {from_currency} is {r} {to_currency}."),
        ("Convert my savings to {to_currency}.", "How much is it, and in which currency?"),
    ),
    "capital_city": Request(
        lambda r: {"country": r.choice(sorted(CAPITALS))},
        ("What is the capital of {country}?", "Look up the capital city of {country}."),
        _said("The capital of {country} is {r}."),
        ("What's the capital of the country I'm moving to?", "Which country are you moving to?"),
    ),
}


def _words(req: Request, args: Args) -> dict[str, str]:
    words = {k: show(v) for k, v in args.items()}
    if req.shown is not None:
        words.update(req.shown(args))
    return words


def missing(req: Request, rng: random.Random) -> tuple[str, str]:
    """The request without a required value, and the question asking for it."""
    assert req.missing is not None
    words = _words(req, req.sample(rng))
    prompt, question = req.missing
    return rng.choice(LEADS) + prompt.format(**words), question.format(**words)


LEADS = ["", "", "", "Quick question. ", "Hi! ", "Please help. ", "One more thing. "]


def phrase(req: Request, rng: random.Random) -> tuple[str, Args, Args]:
    """A request in words, the exact arguments it implies, and every sampled value."""
    args = req.sample(rng)
    words = _words(req, args)
    prompt = rng.choice(req.say).format(**words)
    for key, sentence in req.optional.items():
        if key in args:
            prompt += sentence.format(**words)
    return prompt, {k: v for k, v in args.items() if not k.startswith("_")}, args
