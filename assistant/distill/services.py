"""Made-up booking services: many small APIs drawn at random, for function-calling tasks.

The catalogue (``catalogue.py``) has 52 fixed functions; a model trained only on them
learns those names, not how to read a schema it has never seen. Here each task draws a
service (a bookable thing: a tennis court, a pottery class) and two or three of its
actions (book, status, search, cancel, price, openings) with parameter names drawn
from synonyms, so names, parameters and siblings differ from task to task.

Results are deterministic fakes computed from the arguments (the same call always
returns the same reference, price or list), so a record's answer is checked against
what the call really returned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from assistant.distill.catalogue import Function

ENTITIES: list[tuple[str, str, str]] = [
    # (singular, plural, reference prefix)
    ("tennis court", "tennis courts", "TC"),
    ("yoga class", "yoga classes", "YG"),
    ("escape room", "escape rooms", "ER"),
    ("pottery class", "pottery classes", "PC"),
    ("climbing session", "climbing sessions", "CL"),
    ("swimming lane", "swimming lanes", "SW"),
    ("boat tour", "boat tours", "BT"),
    ("cinema seat", "cinema seats", "CS"),
    ("concert ticket", "concert tickets", "CT"),
    ("hotel room", "hotel rooms", "HR"),
    ("hostel bed", "hostel beds", "HB"),
    ("coworking desk", "coworking desks", "CD"),
    ("cooking workshop", "cooking workshops", "CW"),
    ("haircut appointment", "haircut appointments", "HC"),
    ("massage appointment", "massage appointments", "MA"),
    ("driving lesson", "driving lessons", "DL"),
    ("guitar lesson", "guitar lessons", "GL"),
    ("storage unit", "storage units", "SU"),
    ("pet grooming slot", "pet grooming slots", "PG"),
    ("car wash", "car washes", "CW"),
    ("plumber visit", "plumber visits", "PV"),
    ("piano tuning", "piano tunings", "PT"),
    ("laptop repair", "laptop repairs", "LR"),
    ("flower delivery", "flower deliveries", "FD"),
    ("cake order", "cake orders", "CO"),
    ("kayak trip", "kayak trips", "KT"),
    ("golf tee time", "golf tee times", "GT"),
    ("bowling lane", "bowling lanes", "BL"),
    ("dance class", "dance classes", "DC"),
    ("language course", "language courses", "LC"),
]

VENUES = [
    "Riverside", "Northgate", "Old Mill", "Harbour View", "Elm Park", "Castle Hill",
    "Westbrook", "Kingsway", "Lakeside", "Market Square", "Greenfield", "Hillcrest",
    "Stonebridge", "Maple Court", "Oakwood", "Bayfront", "Redcliffe", "Southbank",
]  # fmt: skip
CITIES = [
    "Leeds", "Bristol", "Lyon", "Porto", "Graz", "Utrecht", "Aarhus", "Ghent", "Bologna",
    "Krakow", "Tallinn", "Cork", "Valencia", "Basel", "Dundee", "Malmo", "Nantes", "Bergen",
]  # fmt: skip
TIMES = ["morning", "afternoon", "evening"]
REASONS = ["change of plans", "illness", "double booking"]
STATUSES = ["confirmed", "waiting list", "cancelled", "pending payment", "completed"]

SYNONYMS: dict[str, list[str]] = {
    "place": ["venue", "location", "site", "branch"],
    "date": ["date", "day", "on_date"],
    "ref": ["booking_ref", "reference", "booking_code", "ref"],
    "city": ["city", "town", "area"],
    "people": ["people", "party_size", "guests"],
    "max_price": ["max_price", "budget"],
    "limit": ["limit", "max_results"],
    "sms": ["send_sms", "text_confirmation", "notify_by_sms"],
    "time": ["time_of_day", "session", "slot"],
    "reason": ["reason", "cancel_reason"],
}
PARAM_TEXT = {
    "place": ("string", "Name of the {e} venue, e.g. 'Westbrook'."),
    "date": ("string", "Date as YYYY-MM-DD."),
    "ref": ("string", "Booking reference, e.g. '{p}-1042'."),
    "city": ("string", "City to search in."),
    "people": ("integer", "Number of people."),
    "max_price": ("number", "Highest price per booking, in euros."),
    "limit": ("integer", "How many results to return at most."),
    "sms": ("boolean", "Text a confirmation to the user's phone."),
    "time": ("string", "Part of the day."),
    "reason": ("string", "Why the booking is cancelled."),
}
ENUMS = {"time": TIMES, "reason": REASONS}
DEFAULTS: dict[str, Any] = {"people": 1, "limit": 5, "sms": False}


@dataclass(frozen=True)
class Action:
    key: str
    name: Callable[[str, str], str]
    """(singular slug, plural slug) → function name."""
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    doing: str
    """What it does, as a reply names it: "book {e}s"."""


ACTIONS: dict[str, Action] = {
    a.key: a
    for a in [
        Action("book", lambda s, p: f"book_{s}", "Book a {e} at a venue on a date.",
               ("place", "date"), ("people", "time", "sms"), "book {ps}"),
        Action("status", lambda s, p: f"{s}_booking_status", "Status of a {e} booking by its reference.",
               ("ref",), (), "check a {e} booking's status"),
        Action("search", lambda s, p: f"find_{p}", "Search {ps} in a city.",
               ("city",), ("max_price", "limit"), "search for {ps}"),
        Action("cancel", lambda s, p: f"cancel_{s}_booking", "Cancel a {e} booking.",
               ("ref",), ("reason",), "cancel {e} bookings"),
        Action("price", lambda s, p: f"{s}_price_quote", "Price of a {e} at a venue on a date.",
               ("place", "date"), ("people",), "quote {e} prices"),
        Action("openings", lambda s, p: f"{s}_free_times", "Free start times for a {e} at a venue on a date.",
               ("place", "date"), (), "list free {e} times"),
    ]
}  # fmt: skip


def slug(text: str) -> str:
    return text.replace(" ", "_")


@dataclass
class Service:
    entity: str
    plural: str
    prefix: str
    names: dict[str, str]
    """Generic parameter key → this service's parameter name."""

    def function(self, action: str) -> Function:
        act = ACTIONS[action]
        props: dict[str, Any] = {}
        for key in act.required + act.optional:
            kind, text = PARAM_TEXT[key]
            prop: dict[str, Any] = {
                "type": kind,
                "description": text.format(e=self.entity, p=self.prefix),
            }
            if key in ENUMS:
                prop["enum"] = list(ENUMS[key])
            if key in DEFAULTS:
                prop["default"] = DEFAULTS[key]
            props[self.names[key]] = prop
        params = {
            "type": "object",
            "properties": props,
            "required": [self.names[k] for k in act.required],
        }
        name = act.name(slug(self.entity), slug(self.plural))
        return Function(
            name,
            self.entity,
            runner(self.names, partial(fake_result, self, action)),
            act.description.format(e=self.entity, ps=self.plural),
            params,
        )

    def call_name(self, action: str) -> str:
        return ACTIONS[action].name(slug(self.entity), slug(self.plural))

    def args(self, values: dict[str, Any]) -> dict[str, Any]:
        """Generic keys → this service's parameter names."""
        return {self.names[k]: v for k, v in values.items()}

    def doing(self, action: str) -> str:
        return ACTIONS[action].doing.format(e=self.entity, ps=self.plural)


def draw_service(rng: random.Random, exclude: str | None = None) -> Service:
    entity, plural, prefix = rng.choice([e for e in ENTITIES if e[0] != exclude])
    names = {key: rng.choice(options) for key, options in SYNONYMS.items()}
    return Service(entity, plural, prefix, names)


def runner(names: dict[str, str], fake: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
    """A drawn function's body: its parameter ``names`` back to generic keys, then ``fake``."""
    generic = {v: k for k, v in names.items()}

    def run(**kwargs: Any) -> Any:
        return fake({generic.get(k, k): v for k, v in kwargs.items()})

    return run


def seeded(entity: str, action: str, values: dict[str, Any]) -> random.Random:
    """The generator a fake result is drawn from: the same call always gets the same one."""
    key = json.dumps([entity, action, values], sort_keys=True, default=str)
    return random.Random(hashlib.sha256(key.encode()).hexdigest())


def fake_result(service: Service, action: str, values: dict[str, Any]) -> Any:
    r = seeded(service.entity, action, values)
    if action == "book":
        return {
            "reference": f"{service.prefix}-{r.randint(1000, 9999)}",
            "status": "confirmed",
            "venue": values.get("place"),
            "date": values.get("date"),
        }
    if action == "status":
        return {"reference": values.get("ref"), "status": r.choice(STATUSES)}
    if action == "search":
        n = min(int(values.get("limit") or 3), 3)
        cap = float(values.get("max_price") or 90)
        venues = r.sample(VENUES, n)
        return [{"venue": v, "price": min(cap, r.randint(12, 90))} for v in venues]
    if action == "cancel":
        return {"reference": values.get("ref"), "cancelled": True, "refund": r.randint(5, 60)}
    if action == "price":
        people = int(values.get("people") or 1)
        return {"price": r.randint(9, 45) * people, "currency": "EUR"}
    if action == "openings":
        hours = sorted(r.sample(range(8, 21), 3))
        return {"free": [f"{h:02d}:{r.choice(['00', '30'])}" for h in hours]}
    raise ValueError(f"unknown action {action!r}")


# -- how users write the values -------------------------------------------------------------
def draw_date(rng: random.Random) -> tuple[str, str]:
    """(the date as the user writes it, the same date as YYYY-MM-DD)."""
    d = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
    month = d.strftime("%B")
    nth = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d.day, "th")
    shown = rng.choice(
        [
            d.isoformat(),
            d.isoformat(),
            f"{d.day} {month} {d.year}",
            f"{month} {d.day}, {d.year}",
            f"the {d.day}{nth} of {month} {d.year}",
            f"{d.day} {month[:3]} {d.year}",
        ]
    )
    return shown, d.isoformat()


def draw_ref(rng: random.Random, service: Service) -> str:
    return f"{service.prefix}-{rng.randint(1000, 9999)}"
