"""Agent tasks that change files in one short step: append a line with the shell, save a
script's output with a redirect, flip a boolean in a JSON file.

``file_edits`` teaches the same changes through ``write_file``, which asks a small model
to copy a whole file back; here the change is one shell command or one ``edit_file`` of
the line read, so nothing else in the file can be lost. Each check fails on an untouched
workspace, and the guards fail when the rest of a file is lost.
"""

from __future__ import annotations

import json
import random
import shlex
from collections.abc import Callable
from typing import Any

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.agent_chain import SCRIPTS
from assistant.distill.tasks.agent_edits import appended_checks, draw_list_edit, list_workspace
from assistant.distill.tasks.base import Spec
from assistant.distill.tasks.kit import NOUNS, lines_of, stdout

CATEGORY = "shell_edits"
SAVED = ["out.txt", "output.txt", "answer.txt", "printed.txt", "run.log", "value.txt"]
RUNNERS = ["main.py", "count.py", "tools/total.py", "job.py", "calc/series.py"]
FLAGS = ["debug", "verbose", "enabled", "dry_run", "use_cache", "strict", "telemetry"]
JSON_FILES = ["config.json", "settings.json", "app/config.json", "options.json", ".toolrc.json"]


def shell_append_line(rng: random.Random) -> Spec:
    name, existing, new = draw_list_edit(rng)
    prompt = rng.choice(
        [
            f"Add {new} as the last line of {name}; the lines there now must stay.",
            f"Please append the entry {new} to {name}.",
            f"{new} should be listed at the end of {name} too. Add it.",
            f"Add one line to the end of {name}: {new}",
            f"Tack {new} onto {name} as a new final line.",
            f"Without removing anything, add {new} at the end of {name}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"echo {shlex.quote(new)} >> {name}"})
        ok = not res[0].is_error
        yield Answer(f"Appended {new} to {name}." if ok else f"Could not append to {name}.")

    checks = appended_checks(name, existing, new)
    return Spec(prompt, checks, solve, list_workspace(rng, name, existing, "# {}\n"))


def redirect_script_output(rng: random.Random) -> Spec:
    template, expected = rng.choice(SCRIPTS)
    n = rng.randint(8, 40)
    script = rng.choice(RUNNERS)
    out = rng.choice(SAVED)
    value = expected(n)
    prompt = rng.choice(
        [
            f"Run {script} using python3 and capture its output in {out}.",
            f"Save whatever {script} prints into {out}.",
            f"I want the output of `python3 {script}` written to {out}.",
            f"Run the {script} script and keep what it prints in a file named {out}.",
            f"Execute {script} and put its printed result in {out}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"python3 {script} > {out} && cat {out}"})
        printed = stdout(res[0].output)
        if res[0].is_error or not printed:
            yield Answer(f"Running {script} failed, so {out} holds no output.")
            return
        yield Answer(f"{script} prints {printed}; saved to {out}.")

    checks = [
        {"kind": "tool_called", "name": ["run_shell", "run_python"]},
        {"kind": "file_matches", "path": out, "regex": rf"(?m)^\s*{value}\s*$"},
    ]
    return Spec(prompt, checks, solve, {script: template.format(n=n)})


def set_json_flag(rng: random.Random) -> Spec:
    name = rng.choice(JSON_FILES)
    flag = rng.choice(FLAGS)
    old = rng.random() < 0.5
    settings: dict[str, Any] = {
        "name": rng.choice(NOUNS),
        flag: old,
        rng.choice(["level", "retries", "workers", "port"]): rng.randint(2, 9),
    }
    keys = list(settings)
    rng.shuffle(keys)
    settings = {k: settings[k] for k in keys}
    new_word, old_word = json.dumps(not old), json.dumps(old)
    prompt = rng.choice(
        [
            f"Turn {flag} {'off' if old else 'on'} in {name} and leave the rest alone.",
            f'In {name}, change "{flag}" to {new_word}.',
            f"{name} has {flag} set to {old_word}; make it {new_word} without touching other keys.",
            f"Flip the {flag} option in {name} to {new_word}.",
            f"Please make {flag} {new_word} in {name}.",
        ]
    )
    before, after = f'"{flag}": {old_word}', f'"{flag}": {new_word}'

    def solve() -> Script:
        res = yield Call("read_file", {"path": name})
        if not any(before in line for line in lines_of(res[0].output)):
            yield Answer(f"{name} does not set {flag} to {old_word}; I left it unchanged.")
            return
        yield Call("edit_file", {"path": name, "old_text": before, "new_text": after})
        yield Answer(f"Set {flag} to {new_word} in {name}.")

    expected = {**settings, flag: not old}
    checks = [
        {
            "kind": "command",
            "command": "python3 -c "
            + shlex.quote(f"import json,sys; sys.exit(json.load(open({name!r})) != {expected!r})"),
        },
    ]
    return Spec(prompt, checks, solve, {name: json.dumps(settings, indent=2) + "\n"})


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("shell-append-line", CATEGORY, shell_append_line),
    ("shell-save-output", CATEGORY, redirect_script_output),
    ("edit-json-flag", CATEGORY, set_json_flag),
]
