"""Agent tasks that change a file the request fully describes: write stated content, set
one value in a config file, add a line to a list file.

Everything the change needs is in the request, so the right move is to act, not to ask
(``agent_missing`` holds the requests that leave the content or path out). Each check
fails on an untouched workspace, and the guards fail when the rest of a file is lost.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.agent_files import HOSTS, PACKAGES
from assistant.distill.tasks.base import Spec
from assistant.distill.tasks.kit import NOUNS, lines_of

CATEGORY = "file_edits"
LINES = [
    "build finished without warnings",
    "deploy after the review",
    "ask ops before changing the schema",
    "the cache is cleared every night",
    "owned by the platform team",
    "remember to rotate the keys",
    "staging mirrors production",
    "tests must pass before merging",
]
TEXT_FILES = ["status.txt", "NOTE.md", "docs/owner.txt", "motd.txt", "reminder.txt", "ABOUT"]
LIST_FILES = [
    ("requirements.txt", PACKAGES),
    ("requirements/test.txt", PACKAGES),
    ("tools.txt", ["black", "isort", "mypy", "tox", "nox", "bandit", "pre-commit"]),
    ("docs/authors.txt", ["Ada", "Grace", "Linus", "Guido", "Barbara", "Ken", "Margaret"]),
    ("allowed_hosts.txt", HOSTS),
]
KEYS = {
    "port": lambda rng: str(rng.randint(1024, 9999)),
    "workers": lambda rng: str(rng.randint(2, 32)),
    "timeout": lambda rng: str(rng.randint(5, 120)),
    "retries": lambda rng: str(rng.randint(1, 9)),
    "host": lambda rng: rng.choice(HOSTS),
    "log_level": lambda rng: rng.choice(["info", "debug", "warning", "error"]),
}


def write_stated_content(rng: random.Random) -> Spec:
    name = rng.choice(TEXT_FILES)
    line = rng.choice(LINES)
    prompt = rng.choice(
        [
            f"Make a new file {name} that holds exactly one line: {line}",
            f"Write '{line}' into a new file called {name}.",
            f'Save the sentence "{line}" as {name}.',
            f"Put the text {line!r} in {name} (create it).",
            f"Create {name}; its only line should read: {line}",
            f"I need a file {name} with the line `{line}` in it.",
        ]
    )

    def solve() -> Script:
        res = yield Call("write_file", {"path": name, "content": line + "\n"})
        yield Answer(f"Created {name}." if not res[0].is_error else f"Could not create {name}.")

    return Spec(prompt, [{"kind": "file_contains", "path": name, "text": line}], solve)


def _config(fmt: str, values: dict[str, str]) -> tuple[str, Callable[[str, str], str]]:
    """A config file's text in ``fmt`` and how one key's assignment is written in it."""
    if fmt == "ini":
        return "[server]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()), (
            lambda k, v: f"{k} = {v}"
        )
    if fmt == "yaml":
        return "server:\n" + "".join(f"  {k}: {v}\n" for k, v in values.items()), (
            lambda k, v: f"{k}: {v}"
        )
    if fmt == "toml":
        body = "".join(f"{k} = {_toml(v)}\n" for k, v in values.items())
        return "[server]\n" + body, lambda k, v: f"{k} = {_toml(v)}"
    payload = {k: _json(v) for k, v in values.items()}
    return json.dumps(payload, indent=2) + "\n", lambda k, v: f'"{k}": {json.dumps(_json(v))}'


def _toml(value: str) -> str:
    return value if value.isdigit() else json.dumps(value)


def _json(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def set_config_value(rng: random.Random) -> Spec:
    fmt, name = rng.choice(
        [
            ("ini", "app.ini"),
            ("ini", "deploy/service.cfg"),
            ("yaml", "config.yml"),
            ("yaml", "conf/server.yaml"),
            ("toml", "server.toml"),
            ("json", "options.json"),
        ]
    )
    keys = rng.sample(sorted(KEYS), 3)
    values = {k: KEYS[k](rng) for k in keys}
    key = keys[rng.randrange(3)]
    old = values[key]
    new = KEYS[key](rng)
    while new.startswith(old) or old.startswith(new):  # a check's text must not hide in the other
        new = KEYS[key](rng)
    text, assign = _config(fmt, values)
    prompt = rng.choice(
        [
            f"Set {key} to {new} in {name}, keeping the other settings.",
            f"Update {name}: {key} should be {new} instead of {old}.",
            f"Change {key} in {name} from {old} to {new}.",
            f"{name} has {key} {old}; make it {new} and touch nothing else.",
            f"Please switch the {key} setting in {name} to {new}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("read_file", {"path": name})
        current = "\n".join(lines_of(res[0].output))
        found = re.search(rf"^\s*{re.escape(assign(key, old))},?\s*$", current, re.M)
        if found is None:
            yield Answer(f"{name} does not set {key} to {old}; I left it unchanged.")
            return
        yield Call(
            "edit_file",
            {"path": name, "old_text": assign(key, old), "new_text": assign(key, new)},
        )
        yield Answer(f"Set {key} to {new} in {name}.")

    checks: list[dict[str, Any]] = [
        {"kind": "file_contains", "path": name, "text": assign(key, new)},
        {"kind": "file_not_contains", "path": name, "text": assign(key, old)},
    ]
    checks += [
        {"kind": "file_contains", "path": name, "text": assign(k, v), "guard": True}
        for k, v in values.items()
        if k != key
    ]
    return Spec(prompt, checks, solve, {name: text})


def draw_list_edit(rng: random.Random) -> tuple[str, list[str], str]:
    """A list file, the lines it holds, and the line to add at its end."""
    name, pool = rng.choice(LIST_FILES)
    picked = rng.sample(pool, min(len(pool), rng.randint(3, 5)))
    return name, picked[:-1], picked[-1]


def appended_checks(name: str, existing: list[str], new: str) -> list[dict[str, Any]]:
    """``new`` ends the file; each existing line is still there (guards)."""
    checks: list[dict[str, Any]] = [
        {"kind": "file_matches", "path": name, "regex": rf"(?m)^{re.escape(new)}\s*\Z"},
    ]
    checks += [
        {"kind": "file_matches", "path": name, "regex": rf"(?m)^{re.escape(e)}$", "guard": True}
        for e in existing
    ]
    return checks


def list_workspace(
    rng: random.Random, name: str, existing: list[str], heading: str
) -> dict[str, str]:
    """The list file, and half the time a README titled ``heading`` (a noun slot)."""
    files = {name: "\n".join(existing) + "\n"}
    if rng.random() < 0.5:
        files["README.md"] = heading.format(rng.choice(NOUNS).title())
    return files


def append_line(rng: random.Random) -> Spec:
    name, existing, new = draw_list_edit(rng)
    prompt = rng.choice(
        [
            f"Append {new} to {name} and keep the lines already there.",
            f"Add a line {new} at the bottom of {name}.",
            f"{name} is missing {new}; add it as the last line.",
            f"Put {new} on a new line at the end of {name}.",
            f"Extend {name} with one more entry: {new}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("read_file", {"path": name})
        current = lines_of(res[0].output)
        yield Call("write_file", {"path": name, "content": "\n".join([*current, new]) + "\n"})
        yield Answer(f"Added {new} to the end of {name}.")

    checks = appended_checks(name, existing, new)
    return Spec(prompt, checks, solve, list_workspace(rng, name, existing, "# {} tools\n"))


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("edit-write-stated", CATEGORY, write_stated_content),
    ("edit-set-config", CATEGORY, set_config_value),
    ("edit-append-line", CATEGORY, append_line),
]
