"""Workspace requests that leave out what they act on, with the agent's own tools offered.

``agent_missing``: "Open the file." names no file, "Rename the method." no method and
no new name. Any call would have to guess the missing value, so the right turn makes no
call and asks for it. Each request is drawn from a verb's phrasings, with a politeness
frame around it; the reply asks the one question that unblocks the work.
"""

from __future__ import annotations

import random

from assistant.distill.scripted import Answer, Script
from assistant.distill.tasks.base import Family, Spec

CATEGORY = "agent_missing"

# (family id, requests that name no target, the question that asks for it)
VAGUE: list[tuple[str, list[str], list[str]]] = [
    (
        "read",
        [
            "open the file",
            "show me what's in that file",
            "print the file's contents",
            "read it out to me",
            "what does the file say",
            "dump the contents of the source file",
        ],
        ["Which file should I read? What is its path?", "Which file do you mean?"],
    ),
    (
        "rename",
        [
            "rename the variable",
            "give that class a better name",
            "rename this method",
            "change the name of the module",
            "call the helper something clearer",
        ],
        [
            "Which one should I rename, and what should the new name be?",
            "What is the current name, and what should it become?",
        ],
    ),
    (
        "write",
        [
            "save the following to a new file:",
            "write this into a file:",
            "make a new file containing this:",
            "put the snippet below into a file:",
        ],
        [
            "What should the file be called, and what should it contain?",
            "Which path should I write to, and what is the content?",
        ],
    ),
    (
        "search",
        [
            "find where it is used",
            "look for that string in the code",
            "grep the repository for it",
            "search for the name I mentioned",
            "find every place that calls it",
        ],
        ["What should I search for?", "Which name or text should I look for?"],
    ),
    (
        "replace",
        [
            "swap the old name for the new one everywhere",
            "change the value to the new number",
            "update the setting to what we agreed",
            "replace the constant with the right value",
            "set the timeout to the new limit",
        ],
        [
            "What is the old value, and what should replace it?",
            "Which value should I change, and to what?",
        ],
    ),
    (
        "delete",
        [
            "delete the file",
            "remove that function",
            "get rid of the old script",
            "drop the unused test",
        ],
        ["Which one should I remove? What is its name or path?", "Which file do you mean?"],
    ),
    (
        "run",
        [
            "run the script",
            "execute that command",
            "run it again",
            "start the thing we talked about",
        ],
        ["Which script or command should I run?", "What exactly should I run?"],
    ),
    (
        "move",
        [
            "move the file into the other folder",
            "put that module somewhere more sensible",
            "copy it over to the new directory",
        ],
        ["Which file should I move, and to which folder?", "What should go where?"],
    ),
    (
        "add",
        [
            "add the missing import",
            "add the dependency we need",
            "add the new field to the model",
            "insert the line I gave you",
        ],
        [
            "Which import should I add, and to which file?",
            "What exactly should I add, and where?",
        ],
    ),
    (
        "open-url",
        [
            "download that page",
            "open the link",
            "fetch the docs page I mentioned",
        ],
        ["Which URL do you mean?", "What is the address of the page?"],
    ),
]

OPENERS = ["", "", "Please ", "Hey, ", "Could you ", "Can you ", "Quick one: "]
CLOSERS = ["", "", " for me", " please", " now"]


def _phrase(rng: random.Random, request: str) -> str:
    opener = rng.choice(OPENERS)
    closer = "" if request.endswith(":") else rng.choice(CLOSERS)
    text = request + closer
    question = opener in ("Could you ", "Can you ")
    if opener:
        text = opener + text
    text = text[0].upper() + text[1:]
    if text.endswith(":"):
        return text
    return text + ("?" if question else ".")


def _family(fid: str, requests: list[str], questions: list[str]) -> Family:
    def build(rng: random.Random) -> Spec:
        prompt = _phrase(rng, rng.choice(requests))
        reply = rng.choice(questions)

        def solve() -> Script:
            yield Answer(reply)

        return Spec(
            prompt=prompt,
            verify=[{"kind": "no_calls"}, {"kind": "asks_question"}],
            solution=solve,
            functions=None,
        )

    return Family(f"agent-missing-{fid}", CATEGORY, "abstain", build)


def families() -> list[Family]:
    return [_family(*entry) for entry in VAGUE]
