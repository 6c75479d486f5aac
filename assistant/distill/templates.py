"""Task templates (data files) and the deterministic expansion of a seed into tasks.

Templates live in ``templates/*.jsonl``, one JSON object a line::

    {"id", "category", "mode": "agent" | "qa", "prompt", "files": {path: text},
     "setup": [shell commands], "verify": [checks], "code_required": bool}

``{slot}`` placeholders in the prompt, file names, file contents and checks are
filled from the seed material in ``seeds/*.json`` with a random generator seeded
by ``(seed, index)``, so a seed yields the same task at the same index on every
machine and every resume, and one seed gives thousands of distinct prompts.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

MODES = ("agent", "qa")
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PY_MODULES = ["json", "csv", "sqlite3", "asyncio", "re", "pathlib", "requests", "numpy", "yaml"]
_GIT_ERRORS = [
    "fatal: refusing to merge unrelated histories",
    "error: failed to push some refs to 'origin'",
    "CONFLICT (content): Merge conflict in src/app.py",
    "fatal: not a git repository (or any of the parent directories): .git",
    "error: Your local changes to the following files would be overwritten by checkout",
    "fatal: detected dubious ownership in repository",
    "hint: Updates were rejected because the tip of your current branch is behind",
]


class TemplateError(ValueError):
    """A template or seed file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Template:
    id: str
    category: str
    mode: str
    prompt: str
    files: dict[str, str] = field(default_factory=dict)
    setup: tuple[str, ...] = ()
    verify: tuple[dict[str, Any], ...] = ()
    code_required: bool = False


@dataclass
class Task:
    """One concrete unit of work: a filled template, assigned to a teacher later."""

    task_id: str
    index: int
    template_id: str
    category: str
    mode: str
    prompt: str
    files: dict[str, str]
    setup: list[str]
    verify: list[dict[str, Any]]
    code_required: bool


def _parse_template(obj: Any, where: str) -> Template:
    if not isinstance(obj, dict):
        raise TemplateError(f"{where}: a template must be a JSON object.")
    missing = [k for k in ("id", "category", "mode", "prompt") if not obj.get(k)]
    if missing:
        raise TemplateError(f"{where}: missing {', '.join(missing)}.")
    if obj["mode"] not in MODES:
        raise TemplateError(
            f"{where}: mode must be one of {', '.join(MODES)}, not {obj['mode']!r}."
        )
    return Template(
        id=obj["id"],
        category=obj["category"],
        mode=obj["mode"],
        prompt=obj["prompt"],
        files=dict(obj.get("files") or {}),
        setup=tuple(obj.get("setup") or ()),
        verify=tuple(obj.get("verify") or ()),
        code_required=bool(obj.get("code_required", False)),
    )


@cache
def load_templates() -> tuple[Template, ...]:
    """Every template shipped in ``assistant/distill/templates``, sorted by id."""
    out: list[Template] = []
    root = resources.files("assistant.distill") / "templates"
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".jsonl"):
            continue
        for lineno, line in enumerate(entry.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"templates/{entry.name} line {lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TemplateError(f"{where}: not valid JSON ({exc.msg}).") from None
            out.append(_parse_template(obj, where))
    ids = [t.id for t in out]
    if len(ids) != len(set(ids)):
        raise TemplateError("Two templates share an id; ids must be unique.")
    return tuple(sorted(out, key=lambda t: t.id))


@cache
def load_seed_material(name: str = "default") -> dict[str, Any]:
    path = resources.files("assistant.distill") / "seeds" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def categories() -> list[str]:
    return sorted({t.category for t in load_templates()})


def _slots(rng: random.Random, seed: dict[str, Any]) -> dict[str, str]:
    words = rng.sample(seed["words"], 2)
    n, n2 = rng.sample(seed["numbers"], 2)
    snippet = rng.choice(seed["snippets"])
    subject = rng.choice(seed["commit_subjects"])
    word = words[0]
    return {
        "language": rng.choice(seed["languages"]),
        "library": rng.choice(seed["libraries"]),
        "library_mod": rng.choice(_PY_MODULES),
        "concept": rng.choice(seed["concepts"]),
        "error": rng.choice(seed["error_messages"]),
        "git_error": rng.choice(_GIT_ERRORS),
        "func": rng.choice(seed["func_names"]),
        "stem": rng.choice(seed["file_stems"]),
        "word": word,
        "word2": words[1],
        "WORD": word.upper(),
        "branch": rng.choice(seed["branches"]),
        "subject": subject,
        "subject_lower": subject[0].lower() + subject[1:],
        "topic": rng.choice(seed["topics"]),
        "small": str(rng.randint(2, 5)),
        "n": str(n),
        "n2": str(n2),
        "sum": str(n + n2),
        "prod": str(n * n2),
        "prod_plus_one": str(n * n2 + 1),
        "tri": str(n * (n + 1) // 2),
        "workers": str(math.ceil(n / n2)),
        "backoff4": str(15 * n2),
        "sha8": hashlib.sha256(word.encode()).hexdigest()[:8],
        "snippet_name": snippet["name"],
        "snippet_code": snippet["code"],
        "snippet_fixed": snippet["fixed"],
        "snippet_test": snippet["test"],
        "snippet_bug": snippet["bug"],
    }


def fill(text: str, slots: dict[str, str]) -> str:
    """Replace ``{name}`` for known slot names only (code braces stay as they are)."""
    return _SLOT.sub(lambda m: slots.get(m.group(1), m.group(0)), text)


def _fill_obj(obj: Any, slots: dict[str, str]) -> Any:
    if isinstance(obj, str):
        return fill(obj, slots)
    if isinstance(obj, list):
        return [_fill_obj(x, slots) for x in obj]
    if isinstance(obj, dict):
        return {fill(k, slots): _fill_obj(v, slots) for k, v in obj.items()}
    return obj


class TaskSource:
    """Deterministic task ``index -> Task`` for one seed and category selection."""

    def __init__(
        self,
        seed: int,
        categories: list[str] | None = None,
        *,
        modes: tuple[str, ...] = MODES,
        templates: tuple[Template, ...] | None = None,
    ) -> None:
        pool = templates if templates is not None else load_templates()
        known = sorted({t.category for t in pool})
        if categories:
            unknown = [c for c in categories if c not in known]
            if unknown:
                raise TemplateError(
                    f"Unknown categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
                    f"choose from {', '.join(known)}."
                )
            pool = tuple(t for t in pool if t.category in categories)
        pool = tuple(t for t in pool if t.mode in modes)
        if not pool:
            raise TemplateError("No templates match the chosen categories and modes.")
        self.seed = seed
        self.material = load_seed_material()
        # Group by category so every selected category gets an equal share.
        self.by_category: dict[str, list[Template]] = {}
        for t in pool:
            self.by_category.setdefault(t.category, []).append(t)
        self.category_names = sorted(self.by_category)
        self._memo: dict[int, Task] = {}

    def task(self, index: int) -> Task:
        """The task at ``index`` (memoised: the scheduler asks for recent ones repeatedly)."""
        cached = self._memo.get(index)
        if cached is not None:
            return cached
        if len(self._memo) > 4096:
            self._memo.clear()
        task = self._make(index)
        self._memo[index] = task
        return task

    def _make(self, index: int) -> Task:
        rng = random.Random(f"{self.seed}:{index}")
        category = rng.choice(self.category_names)
        template = rng.choice(self.by_category[category])
        slots = _slots(rng, self.material)
        return Task(
            task_id=f"s{self.seed}-{index:07d}-{template.id}",
            index=index,
            template_id=template.id,
            category=template.category,
            mode=template.mode,
            prompt=fill(template.prompt, slots),
            files=_fill_obj(template.files, slots),
            setup=_fill_obj(list(template.setup), slots),
            verify=_fill_obj(list(template.verify), slots),
            code_required=template.code_required,
        )
