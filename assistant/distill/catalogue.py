"""A catalogue of ordinary functions, the kind users add as custom tools.

Each function is plain typed Python with a docstring; its JSON schema comes from the
signature (``tools.base.schema_from_function``), and the scripted teacher calls the
real implementation, so every result in the data is real. ``CATALOGUE`` is the
module-level list other code (the eval set's overlap test) imports.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.tools.base import Tool, ToolContext, schema_from_function


@dataclass(frozen=True)
class Function:
    name: str
    domain: str
    func: Callable[..., Any] = field(compare=False)
    description: str
    parameters: dict[str, Any]

    def spec(self) -> dict[str, Any]:
        """OpenAI function-tool JSON, as the agent offers it."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }

    def tool(self) -> Tool:
        func = self.func

        def run(ctx: ToolContext, **kwargs: Any) -> str:
            return render(func(**kwargs))

        return Tool(self.name, self.description, self.parameters, run, read_only=True)

    def __call__(self, **kwargs: Any) -> Any:
        return self.func(**kwargs)


def render(value: Any) -> str:
    """A result as the tool returns it to the model (JSON-like, short)."""
    import json

    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _num(value)
    return json.dumps(value, ensure_ascii=False)


def _num(x: float) -> str:
    """A float without noise: 12.5, 3, 0.3333."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


_REGISTRY: list[Function] = []


def _fn(domain: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        description, params = schema_from_function(func)
        _REGISTRY.append(Function(func.__name__, domain, func, description, params))
        return func

    return wrap


# -- arithmetic and maths --------------------------------------------------------------------
@_fn("geometry")
def triangle_area(base: float, height: float) -> float:
    """Area of a triangle from its base and perpendicular height.

    Args:
        base: Length of the base.
        height: Perpendicular height onto that base.
    """
    return base * height / 2


@_fn("geometry")
def hypotenuse_length(leg_a: float, leg_b: float) -> float:
    """Length of the hypotenuse of a right triangle from its two legs.

    Args:
        leg_a: Length of the first leg.
        leg_b: Length of the second leg.
    """
    return round(math.hypot(leg_a, leg_b), 4)


@_fn("geometry")
def circle_circumference(radius: float) -> float:
    """Circumference of a circle, rounded to 2 decimals.

    Args:
        radius: Radius of the circle.
    """
    return round(2 * math.pi * radius, 2)


@_fn("geometry")
def point_distance(p1: list[float], p2: list[float]) -> float:
    """Euclidean distance between two 2-D points, rounded to 4 decimals.

    Args:
        p1: First point as [x, y].
        p2: Second point as [x, y].
    """
    return round(math.dist(p1[:2], p2[:2]), 4)


@_fn("geometry")
def polygon_perimeter(vertices: list[list[float]]) -> float:
    """Perimeter of a closed polygon given its vertices in order, rounded to 4 decimals.

    Args:
        vertices: The vertices as a list of [x, y] pairs.
    """
    n = len(vertices)
    return round(sum(math.dist(vertices[i], vertices[(i + 1) % n]) for i in range(n)), 4)


@_fn("number theory")
def greatest_common_divisor(a: int, b: int) -> int:
    """Greatest common divisor of two integers.

    Args:
        a: First integer.
        b: Second integer.
    """
    return math.gcd(a, b)


@_fn("number theory")
def integer_factorial(n: int) -> int:
    """n! for a non-negative integer n (at most 20).

    Args:
        n: The integer.
    """
    return math.factorial(max(0, min(n, 20)))


@_fn("number theory")
def nth_fibonacci(n: int) -> int:
    """The n-th Fibonacci number, with F(0) = 0 and F(1) = 1.

    Args:
        n: Index in the sequence (0 to 90).
    """
    a, b = 0, 1
    for _ in range(max(0, min(n, 90))):
        a, b = b, a + b
    return a


@_fn("number theory")
def check_prime(n: int) -> bool:
    """Whether an integer is a prime number.

    Args:
        n: The integer to test.
    """
    if n < 2:
        return False
    return all(n % d for d in range(2, math.isqrt(n) + 1))


@_fn("number theory")
def roman_numeral(number: int) -> str:
    """The Roman numeral for an integer from 1 to 3999.

    Args:
        number: The integer to convert.
    """
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out.append(sym)
            number -= value
    return "".join(out)


@_fn("number theory")
def binary_to_decimal(bits: str) -> int:
    """The decimal value of a binary number written as a string of 0s and 1s.

    Args:
        bits: The binary digits, e.g. "101101".
    """
    return int(bits, 2)


@_fn("arithmetic")
def evaluate_arithmetic(expression: str) -> float:
    """Evaluate an arithmetic expression in Python syntax: + - * / ** and parentheses.

    Args:
        expression: The expression, e.g. "(3 + 4) * 2 ** 3". Powers are written with **.
    """
    if not re.fullmatch(r"[0-9+\-*/(). ]+", expression):
        raise ValueError("only numbers, + - * / ** and parentheses are allowed")
    return float(eval(expression, {"__builtins__": {}}, {}))


@_fn("finance")
def compound_interest(
    principal: float, rate_percent: float, years: int, compounds_per_year: int = 1
) -> float:
    """Final balance of a deposit with compound interest, rounded to cents.

    Args:
        principal: Starting amount.
        rate_percent: Yearly interest rate in percent, e.g. 5 for 5%.
        years: Number of years.
        compounds_per_year: How many times a year interest is added.
    """
    n = compounds_per_year
    return round(principal * (1 + rate_percent / 100 / n) ** (n * years), 2)


@_fn("arithmetic")
def percentage_of(part: float, whole: float, decimals: int = 1) -> float:
    """What percentage ``part`` is of ``whole``.

    Args:
        part: The part.
        whole: The whole.
        decimals: Decimal places of the result.
    """
    return round(part / whole * 100, decimals)


@_fn("statistics")
def mean_of_numbers(values: list[float]) -> float:
    """Arithmetic mean of a list of numbers, rounded to 4 decimals.

    Args:
        values: The numbers.
    """
    return round(statistics.fmean(values), 4)


@_fn("statistics")
def median_of_numbers(values: list[float]) -> float:
    """Median of a list of numbers.

    Args:
        values: The numbers.
    """
    return float(statistics.median(values))


@_fn("statistics")
def value_range(values: list[float]) -> float:
    """Spread of a list of numbers: the largest minus the smallest.

    Args:
        values: The numbers.
    """
    return max(values) - min(values)


@_fn("finance")
def split_bill(total: float, people: int, tip_percent: float = 0) -> float:
    """Each person's share of a bill, tip included, rounded to cents.

    Args:
        total: The bill before tip.
        people: How many people share it.
        tip_percent: Tip in percent of the bill.
    """
    return round(total * (1 + tip_percent / 100) / people, 2)


# -- units ------------------------------------------------------------------------------------
LENGTH_M = {
    "mm": 0.001,
    "cm": 0.01,
    "m": 1.0,
    "km": 1000.0,
    "in": 0.0254,
    "ft": 0.3048,
    "mi": 1609.344,
}
WEIGHT_G = {"g": 1.0, "kg": 1000.0, "lb": 453.59237, "oz": 28.349523125}


@_fn("units")
def celsius_to_fahrenheit(celsius: float) -> float:
    """Convert a temperature from degrees Celsius to degrees Fahrenheit.

    Args:
        celsius: Temperature in degrees Celsius.
    """
    return round(celsius * 9 / 5 + 32, 2)


@_fn("units")
def convert_length(
    value: float,
    from_unit: Literal["mm", "cm", "m", "km", "in", "ft", "mi"],
    to_unit: Literal["mm", "cm", "m", "km", "in", "ft", "mi"],
) -> float:
    """Convert a length between metric and imperial units, rounded to 4 decimals.

    Args:
        value: The length.
        from_unit: Unit of the value.
        to_unit: Unit to convert to.
    """
    return round(value * LENGTH_M[from_unit] / LENGTH_M[to_unit], 4)


@_fn("units")
def convert_weight(
    value: float, from_unit: Literal["g", "kg", "lb", "oz"], to_unit: Literal["g", "kg", "lb", "oz"]
) -> float:
    """Convert a weight between grams, kilograms, pounds and ounces, rounded to 4 decimals.

    Args:
        value: The weight.
        from_unit: Unit of the value.
        to_unit: Unit to convert to.
    """
    return round(value * WEIGHT_G[from_unit] / WEIGHT_G[to_unit], 4)


@_fn("units")
def kmh_to_ms(speed_kmh: float) -> float:
    """Convert a speed from kilometres per hour to metres per second, rounded to 3 decimals.

    Args:
        speed_kmh: Speed in km/h.
    """
    return round(speed_kmh / 3.6, 3)


@_fn("units")
def format_byte_size(num_bytes: int, binary: bool = False) -> str:
    """A byte count in readable units (kB, MB, ...; KiB, MiB, ... when binary is true).

    Args:
        num_bytes: The number of bytes.
        binary: Use powers of 1024 instead of 1000.
    """
    base = 1024 if binary else 1000
    units = ["B", "KiB", "MiB", "GiB", "TiB"] if binary else ["B", "kB", "MB", "GB", "TB"]
    size = float(num_bytes)
    for unit in units:
        if size < base or unit == units[-1]:
            return f"{_num(round(size, 1))} {unit}"
        size /= base
    return f"{num_bytes} B"  # pragma: no cover


@_fn("units")
def liters_to_gallons(liters: float, imperial: bool = False) -> float:
    """Convert litres to US gallons (or imperial gallons), rounded to 3 decimals.

    Args:
        liters: Volume in litres.
        imperial: Use imperial gallons instead of US gallons.
    """
    return round(liters / (4.54609 if imperial else 3.785411784), 3)


# -- dates ------------------------------------------------------------------------------------
def _date(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text)


@_fn("dates")
def days_between_dates(start: str, end: str) -> int:
    """Number of days from one date to another (negative if end is earlier).

    Args:
        start: First date as YYYY-MM-DD.
        end: Second date as YYYY-MM-DD.
    """
    return (_date(end) - _date(start)).days


@_fn("dates")
def weekday_of_date(date: str) -> str:
    """The day of the week of a date.

    Args:
        date: The date as YYYY-MM-DD.
    """
    return _date(date).strftime("%A")


@_fn("dates")
def shift_date(date: str, days: int) -> str:
    """The date a number of days after (or before, if negative) a given date.

    Args:
        date: Start date as YYYY-MM-DD.
        days: Days to add; negative to go back.
    """
    return (_date(date) + _dt.timedelta(days=days)).isoformat()


@_fn("dates")
def is_leap_year(year: int) -> bool:
    """Whether a year is a leap year in the Gregorian calendar.

    Args:
        year: The year.
    """
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@_fn("dates")
def iso_week_number(date: str) -> int:
    """The ISO 8601 week number of a date.

    Args:
        date: The date as YYYY-MM-DD.
    """
    return _date(date).isocalendar()[1]


@_fn("dates")
def seconds_to_clock(seconds: int) -> str:
    """A duration in seconds written as H:MM:SS.

    Args:
        seconds: The duration in seconds.
    """
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


# -- strings ----------------------------------------------------------------------------------
@_fn("text")
def count_vowels(text: str) -> int:
    """How many vowels (a, e, i, o, u) a text contains, ignoring case.

    Args:
        text: The text.
    """
    return sum(ch in "aeiou" for ch in text.lower())


@_fn("text")
def reverse_word_order(sentence: str) -> str:
    """The sentence with its words in reverse order.

    Args:
        sentence: The sentence.
    """
    return " ".join(reversed(sentence.split()))


@_fn("text")
def slugify_title(title: str, separator: str = "-") -> str:
    """A URL slug for a title: lower case, words joined by the separator.

    Args:
        title: The title.
        separator: The character between words.
    """
    return separator.join(re.findall(r"[a-z0-9]+", title.lower()))


@_fn("text")
def caesar_shift(text: str, shift: int) -> str:
    """Shift each letter of a text by a number of places in the alphabet (Caesar cipher).

    Args:
        text: The text to encode.
        shift: Places to shift each letter; negative to shift back.
    """
    out = []
    for ch in text:
        if ch.isalpha():
            base = ord("a") if ch.islower() else ord("A")
            out.append(chr((ord(ch) - base + shift) % 26 + base))
        else:
            out.append(ch)
    return "".join(out)


@_fn("text")
def top_words(text: str, top_n: int = 3) -> list[str]:
    """The most frequent words of a text, most frequent first (ties in order of appearance).

    Args:
        text: The text.
        top_n: How many words to return.
    """
    words = re.findall(r"[a-z']+", text.lower())
    return [w for w, _ in Counter(words).most_common(top_n)]


@_fn("text")
def is_palindrome_phrase(text: str) -> bool:
    """Whether a phrase reads the same backwards, ignoring case, spaces and punctuation.

    Args:
        text: The phrase.
    """
    letters = re.sub(r"[^a-z0-9]", "", text.lower())
    return letters == letters[::-1]


@_fn("text")
def to_snake_case(name: str) -> str:
    """Convert a camelCase or PascalCase identifier to snake_case.

    Args:
        name: The identifier.
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@_fn("text")
def text_digest(text: str, length: int = 8) -> str:
    """The first characters of the SHA-256 hex digest of a text.

    Args:
        text: The text to hash.
        length: How many hex characters to keep.
    """
    return hashlib.sha256(text.encode()).hexdigest()[:length]


@_fn("colors")
def hex_to_rgb(hex_color: str) -> list[int]:
    """The red, green and blue components (0-255) of a hex colour like #1a2b3c.

    Args:
        hex_color: The colour as #rrggbb.
    """
    h = hex_color.lstrip("#")
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)]


@_fn("colors")
def rgb_to_hex(red: int, green: int, blue: int) -> str:
    """The hex code (#rrggbb) of a colour from its red, green and blue components.

    Args:
        red: Red component, 0-255.
        green: Green component, 0-255.
        blue: Blue component, 0-255.
    """
    return f"#{red:02x}{green:02x}{blue:02x}"


# -- lists ------------------------------------------------------------------------------------
@_fn("lists")
def sort_numbers(values: list[float], descending: bool = False) -> list[float]:
    """The numbers sorted in ascending order (descending if asked).

    Args:
        values: The numbers.
        descending: Sort from largest to smallest.
    """
    return sorted(values, reverse=descending)


@_fn("lists")
def unique_items(items: list[str]) -> list[str]:
    """The items with duplicates removed, first occurrence kept, order preserved.

    Args:
        items: The items.
    """
    return list(dict.fromkeys(items))


@_fn("lists")
def common_items(first: list[str], second: list[str]) -> list[str]:
    """Items that appear in both lists, in the order of the first list.

    Args:
        first: First list.
        second: Second list.
    """
    s = set(second)
    return [x for x in dict.fromkeys(first) if x in s]


@_fn("lists")
def chunk_items(items: list[str], size: int) -> list[list[str]]:
    """Split a list into consecutive chunks of a given size (the last may be shorter).

    Args:
        items: The items.
        size: Items per chunk.
    """
    return [items[i : i + size] for i in range(0, len(items), max(1, size))]


# -- a small fixed dataset --------------------------------------------------------------------
STOCK = {
    "brake pad": 42,
    "chain": 17,
    "inner tube": 88,
    "saddle": 6,
    "pedal": 23,
    "spoke": 310,
    "handlebar tape": 12,
    "derailleur": 4,
    "tyre lever": 57,
    "bell": 31,
}
STAFF = {
    "Ada Moreno": ("engineering", 2417),
    "Bilal Ortiz": ("sales", 3105),
    "Chen Wei": ("engineering", 2488),
    "Dana Kowalski": ("support", 4012),
    "Emeka Obi": ("sales", 3177),
    "Farah Haddad": ("finance", 5203),
    "Greta Lind": ("support", 4090),
    "Hiro Tanaka": ("finance", 5266),
}
TEAMS = ("engineering", "sales", "support", "finance")
PLANETS = {
    "Mercury": {"moons": 0, "diameter_km": 4879, "day_hours": 4222.6},
    "Venus": {"moons": 0, "diameter_km": 12104, "day_hours": 2802.0},
    "Earth": {"moons": 1, "diameter_km": 12756, "day_hours": 24.0},
    "Mars": {"moons": 2, "diameter_km": 6792, "day_hours": 24.7},
    "Jupiter": {"moons": 95, "diameter_km": 142984, "day_hours": 9.9},
    "Saturn": {"moons": 146, "diameter_km": 120536, "day_hours": 10.7},
    "Uranus": {"moons": 28, "diameter_km": 51118, "day_hours": 17.2},
    "Neptune": {"moons": 16, "diameter_km": 49528, "day_hours": 16.1},
}
ELEMENTS = {
    "H": 1,
    "He": 2,
    "Li": 3,
    "C": 6,
    "N": 7,
    "O": 8,
    "Na": 11,
    "Mg": 12,
    "Al": 13,
    "Si": 14,
    "S": 16,
    "Cl": 17,
    "K": 19,
    "Ca": 20,
    "Fe": 26,
    "Cu": 29,
    "Zn": 30,
    "Ag": 47,
    "Sn": 50,
    "Au": 79,
    "Pb": 82,
    "U": 92,
}
RATES_PER_USD = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 151.0, "CHF": 0.88}
CAPITALS = {
    "France": "Paris",
    "Japan": "Tokyo",
    "Kenya": "Nairobi",
    "Canada": "Ottawa",
    "Peru": "Lima",
    "Norway": "Oslo",
    "Egypt": "Cairo",
    "Vietnam": "Hanoi",
    "Chile": "Santiago",
    "Poland": "Warsaw",
    "Ghana": "Accra",
    "Nepal": "Kathmandu",
}


@_fn("inventory")
def warehouse_stock(item: str) -> int:
    """Units of a part in the bike shop's warehouse (0 if the part is not stocked).

    Args:
        item: Name of the part, e.g. "brake pad".
    """
    return STOCK.get(item.lower(), 0)


@_fn("inventory")
def warehouse_low_stock(threshold: int) -> list[str]:
    """Parts in the bike shop's warehouse with fewer units than a threshold.

    Args:
        threshold: Units below which a part counts as low.
    """
    return sorted(k for k, v in STOCK.items() if v < threshold)


@_fn("directory")
def staff_extension(name: str) -> int:
    """The phone extension of a staff member in the company directory (0 if unknown).

    Args:
        name: Full name of the staff member.
    """
    return STAFF.get(name, ("", 0))[1]


@_fn("directory")
def staff_on_team(team: Literal["engineering", "sales", "support", "finance"]) -> list[str]:
    """The staff members of a team in the company directory.

    Args:
        team: The team.
    """
    return sorted(n for n, (t, _) in STAFF.items() if t == team)


@_fn("reference")
def planet_fact(
    planet: Literal["Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"],
    fact: Literal["moons", "diameter_km", "day_hours"],
) -> float:
    """One fact about a planet of the solar system from a fixed table.

    Args:
        planet: The planet.
        fact: Which fact: number of moons, diameter in km, or length of a day in hours.
    """
    return PLANETS[planet][fact]


@_fn("reference")
def atomic_number(symbol: str) -> int:
    """The atomic number of a chemical element from its symbol (0 if not in the table).

    Args:
        symbol: The element symbol, e.g. "Fe".
    """
    return ELEMENTS.get(symbol, 0)


@_fn("finance")
def convert_currency_fixed(
    amount: float,
    from_currency: Literal["USD", "EUR", "GBP", "JPY", "CHF"],
    to_currency: Literal["USD", "EUR", "GBP", "JPY", "CHF"],
) -> float:
    """Convert money between currencies at the shop's fixed rates, rounded to 2 decimals.

    Args:
        amount: The amount.
        from_currency: Currency of the amount.
        to_currency: Currency to convert to.
    """
    return round(amount / RATES_PER_USD[from_currency] * RATES_PER_USD[to_currency], 2)


@_fn("reference")
def capital_city(country: str) -> str:
    """The capital city of a country from a fixed table ("unknown" if not listed).

    Args:
        country: The country.
    """
    return CAPITALS.get(country, "unknown")


CATALOGUE: list[Function] = list(_REGISTRY)
"""Every function, in definition order."""
BY_NAME: dict[str, Function] = {f.name: f for f in CATALOGUE}


def domains() -> dict[str, list[Function]]:
    out: dict[str, list[Function]] = {}
    for f in CATALOGUE:
        out.setdefault(f.domain, []).append(f)
    return out
