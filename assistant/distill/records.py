"""Made-up record-keeping services: equipment logs drawn at random, for function-calling tasks.

Booking services (``services.py``) teach book/status/search shapes with dates and
places. Here each task draws a piece of kit someone keeps records for (a kiln, a boiler,
a server rack) and sibling actions of other shapes:

* ``log``: record an observation by id, with a yes/no fact stated in words ("no leaks
  found" → ``false``) and a count in digits or words ("six", "a dozen");
* ``search``: find documents about a topic, filtered by a kind stated as a word
  ("any videos about ..." → ``"video"``);
* ``order``: order a quantity of a part for a unit;
* ``request``: ask for a plan or permit lasting a duration, normalised to the schema's
  unit ("six-month" → ``6`` months, "two weeks" → ``14`` days);
* ``history``: the recorded history of a unit by id (the sibling a model wrongly picks).

Parameter names are drawn from synonyms and results are deterministic fakes computed
from the arguments, as in ``services.py``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from assistant.distill.catalogue import Function
from assistant.distill.services import runner, seeded


@dataclass(frozen=True)
class Kit:
    entity: str
    """As a user names it: "kiln"."""
    prefix: str
    """Unit ids look like ``{prefix}-12``."""
    counted: str
    """What an inspection counts, plural: "shelves"."""
    checked: str
    """How the count is stated: "{n} shelves loaded"."""
    part: str
    """A consumable part, plural: "thermocouples"."""


KITS: list[Kit] = [
    Kit("kiln", "KL", "shelves", "loaded", "thermocouples"),
    Kit("boiler", "BO", "valves", "checked", "pressure seals"),
    Kit("delivery van", "DV", "parcels", "on board", "brake pads"),
    Kit("server rack", "SR", "servers", "running", "cooling fans"),
    Kit("water meter", "WM", "dials", "read", "gaskets"),
    Kit("walk-in freezer", "WF", "shelves", "stocked", "door gaskets"),
    Kit("generator", "GN", "hours", "run", "oil filters"),
    Kit("fire extinguisher", "FE", "seals", "intact", "safety pins"),
    Kit("lathe", "LT", "jobs", "finished", "cutting tools"),
    Kit("chicken coop", "CC", "eggs", "collected", "feeder trays"),
    Kit("wine barrel", "WB", "litres", "topped up", "bungs"),
    Kit("heat pump", "HP", "filters", "cleaned", "air filters"),
    Kit("cold room", "CR", "pallets", "stored", "thermometers"),
    Kit("sauna", "SA", "stones", "replaced", "heater elements"),
    Kit("rain tank", "RT", "inlets", "cleared", "mesh screens"),
    Kit("egg incubator", "EI", "eggs", "turned", "humidity pads"),
    Kit("tractor", "TR", "hours", "worked", "fuel filters"),
    Kit("bakery oven", "BK", "trays", "baked", "door seals"),
    Kit("fume hood", "FH", "sashes", "tested", "carbon filters"),
    Kit("air compressor", "AC", "hoses", "inspected", "intake filters"),
    Kit("septic tank", "ST", "baffles", "inspected", "effluent filters"),
    Kit("ice machine", "IM", "bins", "emptied", "water filters"),
    Kit("grain silo", "GS", "tonnes", "added", "aeration fans"),
    Kit("sprinkler system", "SP", "heads", "tested", "sprinkler heads"),
]


@dataclass(frozen=True)
class Flag:
    """A yes/no fact an inspection records, and how users state each polarity."""

    key: str
    names: tuple[str, ...]
    description: str
    yes: tuple[str, ...]
    no: tuple[str, ...]


FLAGS: list[Flag] = [
    Flag("leak", ("leak_found", "leaking", "has_leak"), "Whether a leak was found.",
         ("found a leak", "it was leaking", "there's a leak", "small leak spotted"),
         ("no leaks found", "no leak", "dry, no leaks", "not leaking")),
    Flag("alarm", ("alarm_triggered", "alarm_went_off", "alarm_on"), "Whether the alarm went off.",
         ("the alarm went off", "alarm triggered", "the alarm was sounding"),
         ("no alarm", "the alarm stayed quiet", "alarm did not go off")),
    Flag("locked", ("door_locked", "locked", "secured"), "Whether it was found locked.",
         ("door was locked", "it was locked", "locked up properly"),
         ("door was left unlocked", "found it unlocked", "not locked")),
    Flag("cleaned", ("cleaned", "was_cleaned", "cleaning_done"), "Whether it was cleaned.",
         ("cleaned it", "gave it a full clean", "cleaning done"),
         ("didn't get cleaned", "not cleaned yet", "no cleaning done")),
    Flag("passed", ("passed", "check_passed", "all_ok"), "Whether it passed the check.",
         ("all ok", "it passed", "passed the check"),
         ("it failed the check", "not ok", "did not pass")),
    Flag("damage", ("damage_found", "damaged", "has_damage"), "Whether any damage was found.",
         ("found some damage", "it's damaged", "there was damage"),
         ("no damage", "no damage found", "undamaged")),
]  # fmt: skip
FLAG_BY_KEY = {f.key: f for f in FLAGS}

KINDS: dict[str, tuple[str, str]] = {
    # enum value → (how a user names several, how a user names one)
    "manual": ("manuals", "a manual"),
    "video": ("videos", "a video"),
    "checklist": ("checklists", "a checklist"),
    "diagram": ("diagrams", "a diagram"),
    "audio": ("audio guides", "an audio guide"),
}
TOPICS = [
    "cleaning", "start-up", "shutdown", "safety", "winter storage", "descaling",
    "troubleshooting", "filter changes", "calibration", "lubrication", "installation",
]  # fmt: skip
NOTES = [
    "replace seal soon", "smell of smoke", "check again Friday", "paint is peeling",
    "noisy fan", "label missing", "ask Sam about it", "minor rust on the base",
]  # fmt: skip

UNITS = ("months", "weeks", "days")
PLANS: list[tuple[Callable[[str], str], str, str]] = [
    # (name from slug, description, what the user asks for)
    (lambda s: f"apply_{s}_permit", "Apply for an operating permit for a {e}.", "permit"),
    (lambda s: f"request_{s}_service_plan", "Request a maintenance plan for a {e}.",
     "service plan"),
    (lambda s: f"extend_{s}_warranty", "Extend the warranty of a {e}.", "warranty extension"),
    (lambda s: f"rent_{s}_backup_unit", "Rent a backup unit while a {e} is repaired.",
     "backup unit"),
]  # fmt: skip

SYNONYMS: dict[str, list[str]] = {
    "id": ["unit_id", "asset_id", "{s}_id", "tag"],
    "count": ["{c}_{k}", "num_{c}", "{c}_count"],
    "note": ["note", "comment", "remarks"],
    "topic": ["topic", "query", "about"],
    "kind": ["kind", "format", "doc_type", "media_type"],
    "limit": ["limit", "max_results"],
    "quantity": ["quantity", "qty", "how_many"],
}
DURATION_NAMES = {
    "months": ["months", "duration_months", "term_months"],
    "weeks": ["weeks", "duration_weeks", "num_weeks"],
    "days": ["days", "duration_days", "num_days"],
}
STATES = ["ok", "needs attention", "out of service", "awaiting parts"]


@dataclass(frozen=True)
class Action:
    key: str
    names: tuple[Callable[[str, Kit], str], ...]
    """Ways to name the function, from (entity slug, kit): one is drawn per service."""
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    doing: str


ACTIONS: dict[str, Action] = {
    a.key: a
    for a in [
        Action("log", (lambda s, k: f"log_{s}_check", lambda s, k: f"record_{s}_inspection",
                       lambda s, k: f"{s}_log_entry"),
               "Record an inspection of a {e}: what was found and counted.",
               ("id", "flag", "count"), ("note",), "log {e} inspections"),
        Action("search", (lambda s, k: f"search_{s}_docs", lambda s, k: f"list_{s}_guides",
                          lambda s, k: f"find_{s}_resources"),
               "Search documents about looking after a {e}.",
               ("topic",), ("kind", "limit"), "search {e} documents"),
        Action("order", (lambda s, k: f"order_{s}_{slug(k.part)}",
                         lambda s, k: f"{s}_parts_order"),
               "Order replacement {part} for a {e}.",
               ("id", "quantity"), (), "order {part}"),
        Action("request", (), "", ("id", "duration"), (), "request a {plan}"),
        Action("history", (lambda s, k: f"{s}_history", lambda s, k: f"{s}_status",
                           lambda s, k: f"get_{s}_log"),
               "Recorded inspections and current state of a {e}, by its id.",
               ("id",), (), "show a {e}'s history"),
    ]
}  # fmt: skip


def slug(text: str) -> str:
    return text.replace(" ", "_").replace("-", "_")


@dataclass
class Service:
    kit: Kit
    flag: Flag
    unit: str
    """The unit the ``request`` action's duration is in."""
    plan: int
    """Index into PLANS."""
    names: dict[str, str]
    """Generic parameter key → this service's parameter name."""
    calls: dict[str, str]
    """Action → this service's function name."""

    @property
    def entity(self) -> str:
        return self.kit.entity

    @property
    def plan_noun(self) -> str:
        return PLANS[self.plan][2]

    def _param(self, key: str) -> dict[str, Any]:
        k, e = self.kit, self.entity
        text: dict[str, tuple[str, str]] = {
            "id": ("string", f"Id of the {e}, e.g. '{k.prefix}-12'."),
            "flag": ("boolean", self.flag.description),
            "count": ("integer", f"Number of {k.counted} {k.checked}."),
            "note": ("string", "Free-text note, only if the user gives one."),
            "topic": ("string", "What the documents are about."),
            "kind": ("string", "Only documents of this kind."),
            "limit": ("integer", "How many results to return at most."),
            "quantity": ("integer", f"How many {k.part} to order."),
            "duration": ("integer", f"How long, in {self.unit}."),
        }
        kind, desc = text[key]
        prop: dict[str, Any] = {"type": kind, "description": desc}
        if key == "kind":
            prop["enum"] = list(KINDS)
        if key == "limit":
            prop["default"] = 5
        return prop

    def function(self, action: str) -> Function:
        act = ACTIONS[action]
        props = {self.names[k]: self._param(k) for k in act.required + act.optional}
        params = {
            "type": "object",
            "properties": props,
            "required": [self.names[k] for k in act.required],
        }
        desc = PLANS[self.plan][1] if action == "request" else act.description
        return Function(
            self.calls[action],
            self.entity,
            runner(self.names, partial(fake_result, self, action)),
            desc.format(e=self.entity, part=self.kit.part),
            params,
        )

    def call_name(self, action: str) -> str:
        return self.calls[action]

    def args(self, values: dict[str, Any]) -> dict[str, Any]:
        return {self.names[k]: v for k, v in values.items()}

    def doing(self, action: str) -> str:
        return ACTIONS[action].doing.format(e=self.entity, part=self.kit.part, plan=self.plan_noun)


def draw_service(rng: random.Random, exclude: str | None = None) -> Service:
    kit = rng.choice([k for k in KITS if k.entity != exclude])
    flag = rng.choice(FLAGS)
    unit = rng.choice(UNITS)
    s = slug(kit.entity)
    fill = {"s": s, "c": slug(kit.counted), "k": slug(kit.checked)}
    names = {key: rng.choice(options).format(**fill) for key, options in SYNONYMS.items()}
    names["flag"] = rng.choice(flag.names)
    names["duration"] = rng.choice(DURATION_NAMES[unit])
    plan = rng.randrange(len(PLANS))
    calls = {a.key: rng.choice(a.names)(s, kit) for a in ACTIONS.values() if a.names}
    calls["request"] = PLANS[plan][0](s)
    return Service(kit, flag, unit, plan, names, calls)


def fake_result(service: Service, action: str, values: dict[str, Any]) -> Any:
    r = seeded(service.entity, action, values)
    p = service.kit.prefix
    if action == "log":
        return {"entry": f"{p}-E{r.randint(1000, 9999)}", "unit": values.get("id"), "saved": True}
    if action == "search":
        n = min(int(values.get("limit") or 3), 3)
        kind = values.get("kind")
        return [
            {
                "doc": f"{p}-D{r.randint(100, 999)}",
                "title": f"{str(values.get('topic')).capitalize()} guide {i + 1}",
                "kind": kind or r.choice(list(KINDS)),
            }
            for i in range(n)
        ]
    if action == "order":
        return {"order": f"{p}-O{r.randint(1000, 9999)}", "eta_days": r.randint(1, 9)}
    if action == "request":
        return {"reference": f"{p}-R{r.randint(1000, 9999)}", "status": "approved"}
    if action == "history":
        last = dt.date(2026, 1, 1) + dt.timedelta(days=r.randint(0, 500))
        return {"unit": values.get("id"), "state": r.choice(STATES), "last_check": last.isoformat()}
    raise ValueError(f"unknown action {action!r}")


# -- how users write the values -------------------------------------------------------------
NUMBER_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty",
]  # fmt: skip


def say_number(rng: random.Random, n: int) -> str:
    """``n`` in digits or words ("6", "six", "half a dozen")."""
    options = [str(n), str(n)]
    if n < len(NUMBER_WORDS):
        options.append(NUMBER_WORDS[n])
    if n == 12:
        options.append("a dozen")
    if n == 6:
        options.append("half a dozen")
    return rng.choice(options)


def draw_id(rng: random.Random, service: Service) -> str:
    p = service.kit.prefix
    n = rng.randint(1, 99)
    return rng.choice([f"{p}-{n}", f"{p}{n}", f"{p}-{n:02d}"])


def draw_duration(rng: random.Random, unit: str) -> tuple[int, str, str]:
    """(the value in ``unit``, as an adjective "six-month", as a noun "six months")."""
    # (value in unit, amount as said, unit as said)
    options: list[tuple[int, int, str]] = []
    if unit == "months":
        options += [(n, n, "month") for n in (1, 2, 3, 4, 6, 9, 12, 18, 24)]
        options += [(12, 1, "year"), (24, 2, "year"), (36, 3, "year")]
    elif unit == "weeks":
        options += [(n, n, "week") for n in range(1, 13)]
    else:
        options += [(n, n, "day") for n in (1, 2, 3, 5, 7, 10, 14, 20, 30)]
        options += [(7, 1, "week"), (14, 2, "week"), (21, 3, "week")]
    value, amount, word = rng.choice(options)
    said = rng.choice([str(amount), NUMBER_WORDS[amount]]) if amount <= 20 else str(amount)
    if amount == 1:
        noun = rng.choice([f"a {word}", f"one {word}"])
        adj = f"one-{word}"
    else:
        noun = f"{said} {word}s"
        adj = f"{said}-{word}"
    return value, adj, noun
