"""Direct lookups: one read, listing or search the user spells out, with the exact arguments.

The gaps of ``agent_direct``: top-level well-known files (Dockerfile, setup.cfg,
.gitignore, pyproject.toml ...) read whole and a question answered from them; ``src/``
and ``docs/`` paths read exactly as written; a file's first N lines (``end_line`` only)
or its lines from N onwards (``start_line`` only); the whole project listed (path ".");
the top level only (max_depth 1); a named folder to a depth; and a grep restricted to a
file type the user names in words ("in the YAML configs" is ``glob="*.yml"``). One
call, then an answer written from the real result; the checks look for text only that
result holds, and for text a wrong range or a wrong file would add.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from assistant.distill.tasks.agent_direct import SUBS, TOPS, WORDS
from assistant.distill.tasks.base import Family, Spec
from assistant.distill.tasks.kit import (
    MODULES,
    NOUNS,
    fenced,
    hit_refs,
    lines_of,
    listing,
    module,
    one_call,
)
from assistant.distill.verify import mentions

CATEGORY = "direct_lookup"
PKGS = ["shop", "billing", "inventory", "notes", "tracker", "ledger", "gateway", "planner"]
Ask = tuple[list[str], str, list[str]]
"""(question phrasings, regex picking the answering line(s), values the answer must name)."""
Known = tuple[str, str, list[Ask]]
"""A well-known top-level file: its path, its text, and the questions it answers."""


def _ver(rng: random.Random) -> str:
    return f"{rng.randint(0, 4)}.{rng.randint(0, 19)}.{rng.randint(0, 9)}"


# -- well-known top-level files ---------------------------------------------------------------
def _dockerfile(rng: random.Random) -> Known:
    image = rng.choice(
        [
            f"python:3.{rng.randint(8, 13)}-slim",
            f"python:3.{rng.randint(8, 13)}-alpine",
            f"node:{rng.choice([16, 18, 20, 22])}-alpine",
            f"golang:1.{rng.randint(18, 23)}",
            f"ubuntu:{rng.choice(['20.04', '22.04', '24.04'])}",
            f"debian:{rng.choice(['bullseye', 'bookworm'])}-slim",
        ]
    )
    port = rng.choice([3000, 5000, 8000, 8080, 8443, 9000]) + rng.randint(0, 9)
    text = (
        f"FROM {image}\n\nWORKDIR /app\nCOPY . /app\nRUN make build\n"
        f'EXPOSE {port}\nCMD ["./run.sh", "--port", "{port}"]\n'
    )
    return (
        "Dockerfile",
        text,
        [
            (
                [
                    "Which base image does the Dockerfile build on?",
                    "What image is our Dockerfile based on?",
                    "Read the Dockerfile and tell me the base image.",
                    "dockerfile base image?",
                    "What does the FROM line of the Dockerfile say?",
                ],
                r"FROM ",
                [image],
            ),
            (
                [
                    "Which port does the Dockerfile expose?",
                    "what port is EXPOSEd in the Dockerfile",
                    "Look in the Dockerfile: what port does the container open?",
                ],
                r"EXPOSE ",
                [str(port)],
            ),
        ],
    )


def _pyproject(rng: random.Random) -> Known:
    name = f"{rng.choice(PKGS)}-{rng.choice(NOUNS)}"
    version, py = _ver(rng), f"3.{rng.randint(8, 12)}"
    text = (
        f'[project]\nname = "{name}"\nversion = "{version}"\nrequires-python = ">={py}"\n'
        f'dependencies = ["httpx>=0.{rng.randint(20, 27)}", "pydantic>=2"]\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    return (
        "pyproject.toml",
        text,
        [
            (
                [
                    "What version does pyproject.toml declare?",
                    "Which version number is set in pyproject.toml?",
                    "pyproject.toml version?",
                    "Read pyproject.toml and tell me the project's version.",
                ],
                r"version = ",
                [version],
            ),
            (
                [
                    "What is the package called, according to pyproject.toml?",
                    "which name does pyproject.toml give the project",
                    "Check pyproject.toml for the project name.",
                ],
                r"name = ",
                [name],
            ),
            (
                [
                    "Which Python version does pyproject.toml require?",
                    "what requires-python is in pyproject.toml",
                ],
                r"requires-python",
                [f">={py}"],
            ),
        ],
    )


def _setup_cfg(rng: random.Random) -> Known:
    name, version = f"{rng.choice(PKGS)}_{rng.choice(NOUNS)}", _ver(rng)
    width = rng.choice([79, 88, 99, 100, 110, 120])
    text = (
        f"[metadata]\nname = {name}\nversion = {version}\n\n"
        "[options]\npackages = find:\n\n"
        f"[flake8]\nmax-line-length = {width}\nexclude = .git,build\n"
    )
    return (
        "setup.cfg",
        text,
        [
            (
                [
                    "What max-line-length does setup.cfg configure?",
                    "setup.cfg line length limit?",
                    "Which line length does flake8 get from setup.cfg?",
                ],
                r"max-line-length",
                [str(width)],
            ),
            (
                [
                    "Which version is written in setup.cfg?",
                    "what version does setup.cfg say",
                    "Read setup.cfg and give me the package name.",
                ],
                r"(name|version) = ",
                [version, name],
            ),
        ],
    )


def _gitignore(rng: random.Random) -> Known:
    pats = rng.sample(
        ["__pycache__/", "*.pyc", ".venv/", "dist/", "build/", "*.log", ".env", "node_modules/"],
        4,
    )
    pats.append(f"/{rng.choice(WORDS)}_{rng.choice(['cache', 'out', 'tmp', 'data'])}/")
    rng.shuffle(pats)
    return (
        ".gitignore",
        "\n".join(pats) + "\n",
        [
            (
                [
                    "Which patterns does .gitignore list?",
                    "What does our .gitignore exclude from git?",
                    "what's ignored per .gitignore",
                    "Read .gitignore and tell me what it ignores.",
                ],
                r"\S",
                pats,
            )
        ],
    )


def _requirements(rng: random.Random) -> Known:
    pkgs = rng.sample(["requests", "flask", "sqlalchemy", "click", "redis", "boto3", "rich"], 4)
    pins = {p: _ver(rng) for p in pkgs}
    text = "".join(f"{p}=={v}\n" for p, v in pins.items())
    p = rng.choice(pkgs)
    return (
        "requirements.txt",
        text,
        [
            (
                [
                    f"Which version of {p} is pinned in requirements.txt?",
                    f"what {p} version does requirements.txt pin",
                    f"Check requirements.txt: what version of {p} do we use?",
                ],
                rf"{p}==",
                [pins[p]],
            )
        ],
    )


def _makefile(rng: random.Random) -> Known:
    targets = rng.sample(["build", "test", "lint", "fmt", "clean", "deploy", "docs", "bench"], 4)
    text = ".PHONY: " + " ".join(targets) + "\n\n"
    text += "".join(f"{t}:\n\t./scripts/{t}.sh\n\n" for t in targets)
    return (
        "Makefile",
        text.rstrip() + "\n",
        [
            (
                [
                    "Which targets does the Makefile define?",
                    "what make targets do we have? read the Makefile",
                    "List the targets declared in the Makefile.",
                ],
                r"[\w-]+:",
                targets,
            )
        ],
    )


def _tox(rng: random.Random) -> Known:
    envs = [f"py3{v}" for v in sorted(rng.sample(range(8, 14), 3))] + [rng.choice(["lint", "docs"])]
    text = f"[tox]\nenvlist = {','.join(envs)}\n\n[testenv]\ncommands = python -m unittest\n"
    return (
        "tox.ini",
        text,
        [
            (
                [
                    "Which environments are in the envlist of tox.ini?",
                    "tox.ini envlist?",
                    "What test environments does tox.ini set up?",
                ],
                r"envlist",
                [",".join(envs)],
            )
        ],
    )


def _package_json(rng: random.Random) -> Known:
    name, version = f"{rng.choice(PKGS)}-{rng.choice(['web', 'ui', 'api'])}", _ver(rng)
    text = (
        f'{{\n  "name": "{name}",\n  "version": "{version}",\n  "private": true,\n'
        f'  "scripts": {{\n    "test": "vitest run"\n  }}\n}}\n'
    )
    return (
        "package.json",
        text,
        [
            (
                [
                    "What version is package.json at?",
                    "package.json version?",
                    "Read package.json and tell me the version field.",
                ],
                r'\s*"version"',
                [version],
            )
        ],
    )


def _compose(rng: random.Random) -> Known:
    pg = f"postgres:{rng.randint(11, 17)}"
    port = rng.randint(5400, 5499)
    text = (
        "services:\n  app:\n    build: .\n    depends_on:\n      - db\n"
        f'  db:\n    image: {pg}\n    ports:\n      - "{port}:5432"\n'
    )
    return (
        "docker-compose.yml",
        text,
        [
            (
                [
                    "Which postgres image does docker-compose.yml run?",
                    "what db image is in docker-compose.yml",
                    "Check docker-compose.yml: which image does the db service use?",
                ],
                r"\s*image:",
                [pg],
            )
        ],
    )


def _editorconfig(rng: random.Random) -> Known:
    size = rng.choice([2, 3, 4, 8])
    style = rng.choice(["space", "tab"])
    text = (
        f"root = true\n\n[*]\nindent_style = {style}\nindent_size = {size}\n"
        "end_of_line = lf\ninsert_final_newline = true\n"
    )
    return (
        ".editorconfig",
        text,
        [
            (
                [
                    "What indent size does .editorconfig set?",
                    ".editorconfig indentation?",
                    "How does .editorconfig say to indent?",
                ],
                r"indent_",
                [f"indent_style = {style}", f"indent_size = {size}"],
            )
        ],
    )


def _go_mod(rng: random.Random) -> Known:
    mod = f"github.com/{rng.choice(WORDS)}/{rng.choice(PKGS)}"
    go = f"1.{rng.randint(18, 23)}"
    text = f"module {mod}\n\ngo {go}\n\nrequire github.com/spf13/cobra v1.{rng.randint(5, 8)}.0\n"
    return (
        "go.mod",
        text,
        [
            (
                [
                    "Which Go version does go.mod declare?",
                    "go.mod go version?",
                    "Read go.mod: what's the module path?",
                ],
                r"(module|go) ",
                [mod, go],
            )
        ],
    )


def _changelog_known(rng: random.Random) -> Known:
    versions = sorted({_ver(rng) for _ in range(3)}, key=lambda v: [int(x) for x in v.split(".")])
    latest = versions[-1]
    text = "# Changelog\n\n" + "".join(
        f"## {v}\n- {rng.choice(['Fixed', 'Added', 'Changed'])} {rng.choice(NOUNS)} handling\n\n"
        for v in reversed(versions)
    )
    return (
        "CHANGELOG.md",
        text.rstrip() + "\n",
        [
            (
                [
                    "What's the newest version listed in CHANGELOG.md?",
                    "latest release in CHANGELOG.md?",
                    "Read CHANGELOG.md and tell me the most recent version.",
                ],
                r"(?#first)## ",
                [latest],
            )
        ],
    )


def _license(rng: random.Random) -> Known:
    year = rng.randint(2012, 2025)
    holder = f"{rng.choice(WORDS).title()} {rng.choice(['Labs', 'Software', 'Systems'])}"
    text = (
        f"MIT License\n\nCopyright (c) {year} {holder}\n\n"
        "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
        "of this software and associated documentation files (the \u201cSoftware\u201d).\n"
    )
    return (
        "LICENSE",
        text,
        [
            (
                [
                    "Who holds the copyright, according to LICENSE?",
                    "which year and owner are in the LICENSE file",
                    "Read LICENSE and tell me the copyright line.",
                ],
                r"Copyright",
                [str(year), holder],
            )
        ],
    )


def _env_example(rng: random.Random) -> Known:
    port = rng.randint(3000, 9999)
    level = rng.choice(["debug", "info", "warning"])
    text = f"PORT={port}\nLOG_LEVEL={level}\nSECRET_KEY=change-me\n"
    return (
        ".env.example",
        text,
        [
            (
                [
                    "Which port does .env.example set?",
                    "what's PORT in .env.example",
                    "Read .env.example: what port and log level does it use?",
                ],
                r"(PORT|LOG_LEVEL)=",
                [f"PORT={port}"],
            )
        ],
    )


KNOWN: list[Callable[[random.Random], Known]] = [
    _dockerfile,
    _pyproject,
    _setup_cfg,
    _gitignore,
    _requirements,
    _makefile,
    _tox,
    _package_json,
    _compose,
    _editorconfig,
    _go_mod,
    _changelog_known,
    _license,
    _env_example,
]


def _filler(rng: random.Random) -> dict[str, str]:
    """Ordinary project files around the one asked about."""
    pkg = rng.choice(PKGS)
    return {
        f"src/{pkg}/{rng.choice(MODULES)}.py": "def main():\n    return 0\n",
        "README.md": f"# {pkg}\n",
    }


def _decoy(
    rng: random.Random, kind: Callable[[random.Random], Known], real: str
) -> tuple[str, str, list[str]]:
    """A copy of the same kind of file in a subfolder, with values the real one lacks."""
    path, text, asks = kind(rng)
    where = f"{rng.choice(['legacy', 'examples', 'deploy', 'old'])}/{path}"
    values = [v for _, _, vs in asks for v in vs if not mentions(real, v)]
    return where, text, values


def ask_known(rng: random.Random) -> Spec:
    kind = rng.choice(KNOWN)
    path, text, asks = kind(rng)
    questions, pick, values = rng.choice(asks)
    prompt = rng.choice(questions)
    files = {**_filler(rng), path: text}
    lacks: list[str] = []
    if rng.random() < 0.5:
        where, other, lacks = _decoy(rng, kind, text)
        files[where] = other

    def reply(output: str) -> str:
        lines = lines_of(output)
        hits = [x.strip() for x in lines if re.match(pick, x)]
        if pick.startswith("(?#first)"):  # the newest entry heads the file
            hits = hits[:1]
        if not hits:
            return f"{path} does not say; it reads:\n```\n" + "\n".join(lines) + "\n```"
        if len(hits) == 1:
            return f"{path} has `{hits[0]}`."
        return f"From {path}:\n" + "\n".join(f"- `{h}`" for h in hits)

    return one_call(prompt, "read_file", {"path": path}, reply, values, lacks or None, files)


def show_known(rng: random.Random) -> Spec:
    kind = rng.choice(KNOWN)
    path, text, asks = kind(rng)
    prompt = rng.choice(
        [
            f"What's inside {path}?",
            f"Show me the contents of {path}.",
            f"Print {path} for me.",
            f"open {path}",
            f"Can I see {path}? Read the whole file.",
            f"what does {path} say",
            f"Display {path}, all of it.",
        ]
    )
    values = [v for _, _, vs in asks for v in vs]
    files = {**_filler(rng), path: text}
    return one_call(
        prompt, "read_file", {"path": path}, fenced(f"Here is {path}"), values, files=files
    )


# -- src/ and docs/ paths, read exactly as written --------------------------------------------
def _doc(rng: random.Random) -> tuple[str, list[str]]:
    """A short Markdown document and lines of it only a real read shows."""
    title = rng.choice(["Contributing", "Architecture", "Deployment", "Release process", "Setup"])
    marks = [
        f"Run `make {rng.choice(['check', 'verify', 'ci'])}-{rng.choice(WORDS)}` first.",
        f"Ask the {rng.choice(WORDS)} team before merging.",
        f"Staging lives at {rng.choice(WORDS)}-{rng.randint(10, 99)}.internal.",
    ]
    rng.shuffle(marks)
    return f"# {title}\n\n" + "\n\n".join(marks) + "\n", marks


def read_prefixed(rng: random.Random) -> Spec:
    pkg = rng.choice(PKGS)
    if rng.random() < 0.5:
        sub = f"{rng.choice(SUBS)}/" if rng.random() < 0.4 else ""
        path = f"src/{pkg}/{sub}{rng.choice(MODULES)}_{rng.choice(NOUNS)}.py"
        text, marks, _ = module(rng, rng.randint(2, 3))
        marks = [f"def {n}(" for n in marks]
        lang = "python"
    else:
        name = rng.choice(
            ["CONTRIBUTING.md", "ARCHITECTURE.md", "deployment.md", "setup.md", "releasing.md"]
        )
        sub = f"{rng.choice(['guide', 'dev', 'ops'])}/" if rng.random() < 0.4 else ""
        path = f"docs/{sub}{name}"
        text, marks = _doc(rng)
        lang = "markdown"
    files = {path: text, "README.md": f"# {pkg}\n", f"docs/{rng.choice(WORDS)}.md": "# notes\n"}
    prompt = rng.choice(
        [
            f"Show me {path}.",
            f"Read {path}, please.",
            f"What's in {path}?",
            f"open {path}",
            f"I want to see the file {path}.",
            f"Could you display {path} in full?",
        ]
    )
    reply = fenced(f"Here is {path}", lang)
    return one_call(prompt, "read_file", {"path": path}, reply, marks, files=files)


# -- first N lines / from line N onwards ------------------------------------------------------
def _numbered_lines(rng: random.Random, path: str, n: int) -> list[str]:
    """n distinct, non-empty lines fitting the kind of file ``path`` is."""
    if path.endswith(".md"):
        title = path.rsplit("/", 1)[-1].removesuffix(".md").title()
        out, major, minor = [f"# {title}"], rng.randint(1, 6), rng.randint(20, 40)
        seen = set()
        while len(out) < n:
            if len(out) % 5 == 1:
                minor -= 1
                out.append(f"## {major}.{minor}.0")
            else:
                pr = rng.randint(100, 999)
                if pr not in seen:
                    seen.add(pr)
                    verb = rng.choice(["Fixed", "Added", "Changed", "Removed"])
                    out.append(f"- {verb} {rng.choice(NOUNS)} handling (#{pr})")
        return out
    if path.endswith(".py"):
        tag = rng.choice(NOUNS).upper()
        return [f"{tag}_{i:03d} = {rng.randint(1000, 99999)}" for i in range(1, n + 1)]
    if path.endswith(".csv"):
        tag = rng.choice(NOUNS)
        return [f"{tag}_{i:03d},{rng.randint(1000, 99999)}" for i in range(1, n + 1)]
    return [
        f"12:{i // 60:02d}:{i % 60:02d} {rng.choice(['INFO', 'WARN', 'DEBUG'])} "
        f"{rng.choice(WORDS)} job {i:03d}"
        for i in range(1, n + 1)
    ]


def _some_path(rng: random.Random) -> str:
    return rng.choice(
        [
            rng.choice(["CHANGELOG.md", "HISTORY.md", "NEWS.md"]),
            f"{rng.choice(TOPS)}/{rng.choice(SUBS)}/{rng.choice(MODULES)}.py",
            f"src/{rng.choice(PKGS)}/{rng.choice(NOUNS)}_table.py",
            f"data/{rng.choice(NOUNS)}_{rng.choice(WORDS)}.csv",
            f"logs/{rng.choice(WORDS)}.log",
        ]
    )


def read_head(rng: random.Random) -> Spec:
    path = _some_path(rng)
    n = rng.choice([k for k in range(6, 41) if k != 25])
    rows = _numbered_lines(rng, path, n + rng.randint(6, 30))
    prompt = rng.choice(
        [
            f"Print the first {n} lines of {path}.",
            f"Give me the top {n} lines of {path}, nothing after.",
            f"I only need the opening {n} lines of {path}.",
            f"head of {path}, {n} lines",
            f"Read just lines 1 to {n} of {path}.",
            f"What do the first {n} lines of {path} say?",
        ]
    )
    return one_call(
        prompt,
        "read_file",
        {"path": path, "end_line": n},
        fenced(f"The first {n} lines of {path}"),
        [rows[0], rows[n - 1]],
        [rows[n]],
        {path: "\n".join(rows) + "\n"},
    )


def read_tail(rng: random.Random) -> Spec:
    path = _some_path(rng)
    n = rng.randint(8, 90)
    rows = _numbered_lines(rng, path, n + rng.randint(4, 25))
    prompt = rng.choice(
        [
            f"Show {path} starting at line {n}.",
            f"Read {path} from line {n} to the end.",
            f"{path} from line {n} on, please",
            f"I need everything in {path} from line {n} down.",
            f"Skip to line {n} of {path} and show me the rest of the file.",
            f"print {path} beginning at line {n}",
        ]
    )
    return one_call(
        prompt,
        "read_file",
        {"path": path, "start_line": n},
        fenced(f"{path} from line {n} to the end"),
        [rows[n - 1], rows[-1]],
        [rows[n - 2]],
        {path: "\n".join(rows) + "\n"},
    )


# -- listings ---------------------------------------------------------------------------------
def _project(rng: random.Random) -> dict[str, str]:
    """A small realistic project: top-level files, src/, tests/, docs/ (depth 1 to 3)."""
    pkg = rng.choice(PKGS)
    mods = rng.sample(MODULES, 3)
    files = {
        rng.choice(["pyproject.toml", "setup.cfg", "Makefile", "Dockerfile"]): "# config\n",
        "README.md": f"# {pkg}\n",
        f"src/{pkg}/{mods[0]}.py": "x = 1\n",
        f"src/{pkg}/{mods[1]}.py": "y = 2\n",
        f"tests/test_{mods[0]}.py": "import unittest\n",
    }
    if rng.random() < 0.6:
        files[f"docs/{rng.choice(['usage', 'design', 'faq'])}.md"] = "# docs\n"
    if rng.random() < 0.6:
        files[f"{rng.choice(['scripts', 'tools'])}/{rng.choice(WORDS)}.sh"] = "echo ok\n"
    return files


def _entries(files: dict[str, str], under: str = "", depth: int = 99) -> list[str]:
    """What list_files prints for ``under`` down to ``depth``: files and folders (with /)."""
    out: set[str] = set()
    for p in files:
        if under and not p.startswith(under + "/"):
            continue
        rel = p[len(under) + 1 :] if under else p
        parts = rel.split("/")
        for i in range(1, min(len(parts), depth) + 1):
            entry = "/".join(parts[:i]) + ("" if i == len(parts) else "/")
            out.add(f"{under}/{entry}" if under else entry)
    return sorted(out)


def list_all(rng: random.Random) -> Spec:
    files = _project(rng)
    prompt = rng.choice(
        [
            "Give me a full listing of every file and directory in the repo.",
            "list everything in the workspace, folders too",
            "What files and folders does this project have? Show them all.",
            "Show the complete tree of this project.",
            "Print every path in the repository, files and directories alike.",
            "I'd like to see the whole project layout: all files and folders.",
        ]
    )
    reply = listing("Everything in the project")
    return one_call(prompt, "list_files", {"path": "."}, reply, list(files), files=files)


def list_top(rng: random.Random) -> Spec:
    files = _project(rng)
    shown = _entries(files, depth=1)
    hidden = [p for p in files if "/" in p]
    prompt = rng.choice(
        [
            "List only the root of the workspace, depth 1.",
            "What's at the top of the repo? One level deep, no subfolders.",
            "show the root directory, one level only",
            "Give me the top-level entries only, max depth 1.",
            "Just the first level of the project tree, please: one level, nothing nested.",
            "Which files and folders sit at the project root? Only one level down.",
        ]
    )
    args = {"path": ".", "max_depth": 1}
    return one_call(prompt, "list_files", args, listing("At the top level"), shown, hidden, files)


def list_folder_depth(rng: random.Random) -> Spec:
    folder = rng.choice(["src", "docs", "tests", "app", "packages", "services", "lib"])
    depth = rng.choice([1, 2, 2, 3])
    subs = rng.sample(SUBS, 3)
    ext = "md" if folder == "docs" else "py"
    files = {
        f"{folder}/{rng.choice(MODULES)}.{ext}": "a = 1\n",
        f"{folder}/{subs[0]}/{rng.choice(NOUNS)}.{ext}": "b = 2\n",
        f"{folder}/{subs[0]}/{subs[1]}/{rng.choice(WORDS)}.{ext}": "c = 3\n",
        f"{folder}/{subs[0]}/{subs[1]}/{subs[2]}/{rng.choice(MODULES)}_deep.{ext}": "d = 4\n",
        "README.md": "# readme\n",
        f"{rng.choice([t for t in TOPS if t != folder])}/{rng.choice(NOUNS)}.py": "e = 5\n",
    }
    shown = _entries(files, folder, depth)
    hidden = [p for p in files if p not in shown]
    words = {1: "one level", 2: "two levels", 3: "three levels"}[depth]
    prompt = rng.choice(
        [
            f"Show the layout of {folder} down to {words}.",
            f"List {folder}/ with max depth {depth}.",
            f"what's under {folder}? go {words} deep, no further",
            f"Give me the tree of the {folder} directory, {words} deep.",
            f"List the {folder} folder to a depth of {depth}.",
        ]
    )
    args = {"path": folder, "max_depth": depth}
    reply = listing(f"{folder}/, {words} deep")
    return one_call(prompt, "list_files", args, reply, shown, hidden, files)


# -- grep restricted to a file type -----------------------------------------------------------
FILE_TYPES = [  # (glob, ways to say it, how a line holding the needle looks)
    (
        "*.py",
        ["the Python files", "the .py files", "the Python sources", "python modules"],
        '{n} = os.environ.get("{n}")',
    ),
    ("*.md", ["the Markdown docs", "the .md files", "the markdown files"], "Set `{n}` first."),
    ("*.yml", ["the YAML configs", "the .yml files", "the yaml config files"], "  {n}: on"),
    ("*.sh", ["the shell scripts", "the .sh scripts"], 'export {n}="1"'),
    ("*.toml", ["the TOML files", "the .toml configs"], 'env = ["{n}"]'),
    ("*.json", ["the JSON files", "the .json files"], '  "{n}": true,'),
]


def _typed_path(rng: random.Random, ext: str) -> str:
    if ext == "py":
        return f"{rng.choice(TOPS)}/{rng.choice(SUBS)}/{rng.choice(MODULES)}.py"
    if ext == "md":
        return rng.choice([f"docs/{rng.choice(WORDS)}.md", f"{rng.choice(TOPS)}/NOTES.md"])
    folder = {"yml": "config", "sh": "scripts", "toml": "conf", "json": "settings"}[ext]
    return f"{folder}/{rng.choice(WORDS)}_{rng.choice(NOUNS)}.{ext}"


def grep_typed(rng: random.Random) -> Spec:
    needle = rng.choice(
        [
            f"{rng.choice(['REDIS', 'SENTRY', 'SMTP', 'S3', 'CACHE', 'QUEUE'])}_"
            f"{rng.choice(['URL', 'HOST', 'DSN', 'TTL', 'BUCKET', 'TOKEN'])}",
            f"FEATURE_{rng.choice(WORDS).upper()}",
            f"{rng.choice(NOUNS)}_{rng.choice(['limit', 'timeout', 'retries'])}",
        ]
    )
    glob, nouns, line = rng.choice(FILE_TYPES)
    ext = glob[2:]
    files: dict[str, str] = {}

    def put(kind: str, body: str) -> str:
        p = _typed_path(rng, kind)
        while p in files:
            p = _typed_path(rng, kind)
        files[p] = body
        return p

    hits = [put(ext, line.format(n=needle) + "\n") for _ in range(rng.randint(1, 2))]
    put(ext, line.format(n="UNRELATED") + "\n")
    others = []
    for g, _, ln in rng.sample([t for t in FILE_TYPES if t[0] != glob], 2):
        others.append(put(g[2:], ln.format(n=needle) + "\n"))
    noun = rng.choice(nouns)
    prompt = rng.choice(
        [
            f"Search {noun} for {needle}.",
            f"Where is {needle} used in {noun}?",
            f"grep {needle} in {noun} only",
            f"Which lines in {noun} contain {needle}?",
            f"Look for {needle}, but only in {noun}.",
            f"Find {needle} in {noun}; skip every other file type.",
        ]
    )

    def reply(output: str) -> str:
        refs = hit_refs(output)
        if refs:
            return f"In {noun}, {needle} appears at:\n" + "\n".join(refs)
        return f"No {glob} file mentions {needle}."

    args = {"pattern": needle, "glob": glob}
    return one_call(prompt, "grep", args, reply, hits, others, files)


FAMILIES: list[tuple[str, Callable[[random.Random], Spec]]] = [
    ("lookup-ask-known-file", ask_known),
    ("lookup-show-known-file", show_known),
    ("lookup-read-prefixed", read_prefixed),
    ("lookup-read-head", read_head),
    ("lookup-read-tail", read_tail),
    ("lookup-list-all", list_all),
    ("lookup-list-top", list_top),
    ("lookup-list-folder-depth", list_folder_depth),
    ("lookup-grep-typed", grep_typed),
]


def families() -> list[Family]:
    return [Family(fid, CATEGORY, "agent", build, distinct=True) for fid, build in FAMILIES]
