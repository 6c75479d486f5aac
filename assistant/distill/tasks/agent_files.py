"""Agent tasks on files: configuration in several formats, edits, documentation, explaining.

Each family has its own workspace shape and check; answers are parsed from what the
tools returned.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable

from assistant.distill.scripted import Answer, Call, Script
from assistant.distill.tasks.base import Spec
from assistant.distill.tasks.kit import MODULES, NOUNS, VERBS, join, lines_of, shown_path

HOSTS = ["0.0.0.0", "127.0.0.1", "api.internal", "db.local", "cache.svc", "10.0.3.7"]
PACKAGES = [
    "requests",
    "numpy",
    "pandas",
    "flask",
    "click",
    "rich",
    "httpx",
    "pydantic",
    "sqlalchemy",
    "pytest",
    "attrs",
    "jinja2",
    "pyyaml",
    "boto3",
    "celery",
    "redis",
]


def _read_value(key: str, fmt: str) -> Callable[[random.Random], Spec]:
    """A family: one value in a config file of format ``fmt``; the answer reports it."""

    def build(rng: random.Random) -> Spec:
        values = {
            "port": str(rng.randint(1024, 9999)),
            "workers": str(rng.randint(2, 32)),
            "host": rng.choice(HOSTS),
            "timeout": str(rng.randint(5, 120)),
        }
        if fmt == "json":
            name = rng.choice(["config.json", "settings.json", "conf/app.json"])
            text = (
                json.dumps(
                    {"server": {k: (int(v) if v.isdigit() else v) for k, v in values.items()}},
                    indent=2,
                )
                + "\n"
            )
            rx = rf'"{key}": "?([^",\n]+)"?'
        elif fmt == "yaml":
            name = rng.choice(["config.yaml", "deploy/app.yml", "settings.yaml"])
            text = "server:\n" + "".join(f"  {k}: {v}\n" for k, v in values.items())
            rx = rf"{key}: (\S+)"
        elif fmt == "toml":
            name = rng.choice(["app.toml", "config/server.toml"])
            text = "[server]\n" + "".join(
                f"{k} = {v if v.isdigit() else json.dumps(v)}\n" for k, v in values.items()
            )
            rx = rf'{key} = "?([^"\s]+)"?'
        else:  # env
            name = rng.choice([".env", "deploy/.env", "app.env"])
            text = "".join(f"APP_{k.upper()}={v}\n" for k, v in values.items())
            rx = rf"APP_{key.upper()}=(\S+)"
        shown = shown_path(rng, name)
        prompt = rng.choice(
            [
                f"What is the {key} in {name}?",
                f"Which {key} does {name} set?",
                f"Look up the configured {key} in {name}.",
            ]
        )

        def solve() -> Script:
            res = yield Call("read_file", {"path": shown})
            m = re.search(rx, "\n".join(lines_of(res[0].output)))
            yield Answer(f"The {key} in {name} is {m.group(1) if m else 'not set'}.")

        return Spec(
            prompt,
            [
                {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
                {"kind": "answer_has", "texts": [values[key]]},
            ],
            solve,
            {name: text},
        )

    return build


def create_file(rng: random.Random) -> Spec:
    name = rng.choice(["notes.txt", "docs/todo.md", "TODO.txt", "data/names.txt"])
    items = rng.sample(PACKAGES, rng.randint(2, 4))
    content = "\n".join(items) + "\n"
    prompt = f"Create {name} with these lines: {', '.join(items)}."

    def solve() -> Script:
        res = yield Call("write_file", {"path": name, "content": content})
        yield Answer(
            f"Created {name} with {len(items)} lines."
            if not res[0].is_error
            else f"Could not create {name}."
        )

    return Spec(prompt, [{"kind": "file_equals", "path": name, "text": content}], solve)


def append_gitignore(rng: random.Random) -> Spec:
    existing = rng.sample(["__pycache__/", "*.pyc", ".venv/", "dist/", "build/", ".env"], 3)
    new = rng.choice(["*.log", "coverage.xml", ".mypy_cache/", "node_modules/", "*.sqlite"])
    text = "\n".join(existing) + "\n"
    prompt = rng.choice([f"Add {new} to .gitignore.", f"Make git ignore {new}."])

    def solve() -> Script:
        res = yield Call("read_file", {"path": ".gitignore"})
        current = "\n".join(lines_of(res[0].output))
        yield Call("write_file", {"path": ".gitignore", "content": current + "\n" + new + "\n"})
        yield Answer(f"Added {new} to .gitignore.")

    checks = [{"kind": "file_matches", "path": ".gitignore", "regex": rf"(?m)^{re.escape(new)}$"}]
    checks += [
        {
            "kind": "file_matches",
            "path": ".gitignore",
            "regex": rf"(?m)^{re.escape(e)}$",
            "guard": True,
        }
        for e in existing
    ]
    return Spec(prompt, checks, solve, {".gitignore": text})


def rename_json_key(rng: random.Random) -> Spec:
    old, new = rng.sample(["timeout", "retries", "max_items", "page_size", "batch", "limit"], 2)
    value = rng.randint(2, 500)
    data = {"name": rng.choice(MODULES), old: value, "debug": False}
    name = rng.choice(["config.json", "settings.json"])
    prompt = f'In {name}, rename the key "{old}" to "{new}" and keep its value.'

    def solve() -> Script:
        yield Call("read_file", {"path": name})
        yield Call("edit_file", {"path": name, "old_text": f'"{old}":', "new_text": f'"{new}":'})
        yield Answer(f'Renamed "{old}" to "{new}" in {name}.')

    return Spec(
        prompt,
        [
            {"kind": "json_field", "path": name, "field": new, "equals": value},
            {"kind": "file_not_contains", "path": name, "text": f'"{old}"'},
        ],
        solve,
        {name: json.dumps(data, indent=2) + "\n"},
    )


def list_directory(rng: random.Random) -> Spec:
    folder = rng.choice(["src", "scripts", "assets", "migrations"])
    files = sorted(
        {f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}.py" for _ in range(rng.randint(2, 5))}
    )
    ws = {f"{folder}/{f}": "pass\n" for f in files}
    ws["README.md"] = "# project\n"
    prompt = rng.choice(
        [f"Which files are in {folder}/?", f"List what's inside the {folder} folder."]
    )

    def solve() -> Script:
        res = yield Call("list_files", {"path": folder})
        found = [
            x.strip().split("/")[-1]
            for x in res[0].output.splitlines()
            if x.strip().endswith(".py")
        ]
        yield Answer(f"{folder}/ contains {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["list_files", "glob", "run_shell"]},
            {"kind": "answer_has", "texts": files},
        ],
        solve,
        ws,
    )


def count_lines(rng: random.Random) -> Spec:
    n = rng.randint(5, 60)
    name = rng.choice(["data.csv", "words.txt", "log/app.log", "names.txt"])
    text = "".join(f"row {i} {rng.choice(NOUNS)}\n" for i in range(n))
    prompt = rng.choice([f"How many lines does {name} have?", f"Count the lines in {name}."])

    def solve() -> Script:
        res = yield Call("run_shell", {"command": f"wc -l < {name}"})
        out = res[0].output.split("\n")[0].strip()
        yield Answer(f"{name} has {out} lines.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["run_shell", "read_file", "run_python"]},
            {"kind": "answer_has", "texts": [str(n)]},
        ],
        solve,
        {name: text},
    )


def bump_version(rng: random.Random) -> Spec:
    major, minor, patch = rng.randint(0, 4), rng.randint(0, 20), rng.randint(0, 30)
    old, new = f"{major}.{minor}.{patch}", f"{major}.{minor}.{patch + 1}"
    mod = rng.choice(MODULES)
    text = f'[project]\nname = "{mod}"\nversion = "{old}"\nrequires-python = ">=3.11"\n'
    prompt = rng.choice(
        [
            f"Bump the patch version in pyproject.toml (it is {old}).",
            f"Set the version in pyproject.toml to {new}.",
        ]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": "^version", "path": "pyproject.toml"})
        m = re.search(r'version = "([^"]+)"', res[0].output)
        cur = m.group(1) if m else old
        a, b, c = cur.split(".")
        bumped = f"{a}.{b}.{int(c) + 1}"
        yield Call(
            "edit_file",
            {
                "path": "pyproject.toml",
                "old_text": f'version = "{cur}"',
                "new_text": f'version = "{bumped}"',
            },
        )
        yield Answer(f"The version is now {bumped}.")

    return Spec(
        prompt,
        [
            {"kind": "file_contains", "path": "pyproject.toml", "text": f'version = "{new}"'},
            {
                "kind": "file_contains",
                "path": "pyproject.toml",
                "text": f'name = "{mod}"',
                "guard": True,
            },
        ],
        solve,
        {"pyproject.toml": text},
    )


# -- documentation ------------------------------------------------------------------------------
def readme_usage(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    flag = rng.choice(["--help", "--version", "--dry-run", "--verbose"])
    text = f"# {mod}\n\nA small tool.\n\n## Install\n\n    pip install {mod}\n"
    prompt = f"Add a '## Usage' section to README.md that shows the command `{mod} {flag}`."

    def solve() -> Script:
        res = yield Call("read_file", {"path": "README.md"})
        body = "\n".join(lines_of(res[0].output))
        yield Call(
            "write_file",
            {"path": "README.md", "content": f"{body}\n\n## Usage\n\n    {mod} {flag}\n"},
        )
        yield Answer(f"Added a Usage section showing `{mod} {flag}` to README.md.")

    return Spec(
        prompt,
        [
            {
                "kind": "file_matches",
                "path": "README.md",
                "regex": rf"(?s)## Usage.*{re.escape(f'{mod} {flag}')}",
            },
            {"kind": "file_contains", "path": "README.md", "text": "## Install", "guard": True},
        ],
        solve,
        {"README.md": text},
    )


def changelog_entry(rng: random.Random) -> Spec:
    version = f"{rng.randint(1, 5)}.{rng.randint(0, 9)}.0"
    change = rng.choice(
        [
            "Fixed a crash on empty input",
            "Added a --json flag",
            "Dropped Python 3.8",
            "Made retries configurable",
        ]
    )
    text = "# Changelog\n\n## 0.9.0\n\n- First public release\n"
    prompt = f"Add a {version} entry at the top of CHANGELOG.md saying: {change}."

    def solve() -> Script:
        yield Call(
            "edit_file",
            {
                "path": "CHANGELOG.md",
                "old_text": "# Changelog\n\n",
                "new_text": f"# Changelog\n\n## {version}\n\n- {change}\n\n",
            },
        )
        yield Answer(f"Added {version} to CHANGELOG.md.")

    return Spec(
        prompt,
        [
            {
                "kind": "file_matches",
                "path": "CHANGELOG.md",
                "regex": rf"(?s)## {re.escape(version)}.*{re.escape(change)}.*## 0\.9\.0",
            }
        ],
        solve,
        {"CHANGELOG.md": text},
    )


def add_docstring(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    fn = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}"
    what = rng.choice(
        [
            "Return the total of the values.",
            "Clamp x into the range.",
            "Scale every value by the factor.",
        ]
    )
    text = f"def {fn}(values, factor=1):\n    return [v * factor for v in values]\n"
    prompt = f'Add the docstring "{what}" to {fn} in {mod}.py.'

    def solve() -> Script:
        head = f"def {fn}(values, factor=1):\n"
        yield Call(
            "edit_file",
            {"path": f"{mod}.py", "old_text": head, "new_text": f'{head}    """{what}"""\n'},
        )
        yield Answer(f"Added the docstring to {fn}.")

    return Spec(
        prompt,
        [{"kind": "python_docstring", "path": f"{mod}.py", "function": fn, "text": what}],
        solve,
        {f"{mod}.py": text},
    )


def document_params(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    fn = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}"
    params = rng.sample(["path", "limit", "timeout", "verbose", "encoding", "retries"], 2)
    text = (
        f'def {fn}({params[0]}, {params[1]}):\n    """Do the work."""\n'
        f"    return ({params[0]}, {params[1]})\n"
    )
    prompt = f"Document both parameters of {fn} in {mod}.py with an Args: section in its docstring."

    def solve() -> Script:
        doc = (
            f'    """Do the work.\n\n    Args:\n        {params[0]}: The {params[0]}.\n'
            f'        {params[1]}: The {params[1]}.\n    """\n'
        )
        yield Call(
            "edit_file",
            {"path": f"{mod}.py", "old_text": '    """Do the work."""\n', "new_text": doc},
        )
        yield Answer(f"Documented {params[0]} and {params[1]} in {fn}'s docstring.")

    return Spec(
        prompt,
        [
            {
                "kind": "python_docstring",
                "path": f"{mod}.py",
                "function": fn,
                "text": f"{params[0]}:",
            },
            {
                "kind": "python_docstring",
                "path": f"{mod}.py",
                "function": fn,
                "text": f"{params[1]}:",
            },
        ],
        solve,
        {f"{mod}.py": text},
    )


# -- explain ------------------------------------------------------------------------------------
PURPOSES = [
    "resizes every image in a folder",
    "sends a daily sales summary by email",
    "backs up the database to S3",
    "checks that all links in the docs work",
    "converts CSV exports to JSON",
    "rotates the application logs",
]


def explain_script(rng: random.Random) -> Spec:
    purpose = rng.choice(PURPOSES)
    name = rng.choice(["tool.py", "job.py", "task.py", "cron.py"])
    text = f'"""This script {purpose}."""\n\nimport sys\n\n\ndef main():\n    return 0\n\n\nsys.exit(main())\n'
    prompt = rng.choice([f"What does {name} do?", f"Explain briefly what {name} is for."])

    def solve() -> Script:
        res = yield Call("read_file", {"path": name})
        m = re.search(r'"""This script (.+?)\."""', res[0].output)
        yield Answer(f"{name} {m.group(1) if m else 'has no description'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
            {"kind": "answer_has", "texts": [purpose]},
        ],
        solve,
        {name: text},
    )


def list_dependencies(rng: random.Random) -> Spec:
    deps = rng.sample(PACKAGES, rng.randint(2, 5))
    text = "".join(f"{d}>={rng.randint(1, 9)}.{rng.randint(0, 9)}\n" for d in deps)
    prompt = rng.choice(
        ["What does this project depend on?", "Which packages are in requirements.txt?"]
    )

    def solve() -> Script:
        res = yield Call("read_file", {"path": "requirements.txt"})
        found = [re.split(r"[<>=!~ ]", x)[0] for x in lines_of(res[0].output) if x.strip()]
        yield Answer(f"It depends on {join(found)}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["read_file", "run_shell", "grep"]},
            {"kind": "answer_has", "texts": deps},
        ],
        solve,
        {"requirements.txt": text},
    )


def dockerfile_port(rng: random.Random) -> Spec:
    port = rng.choice([3000, 5000, 8000, 8080, 8443, 9000, 5432, 6379])
    base = rng.choice(["python:3.12-slim", "node:22", "debian:bookworm"])
    text = f'FROM {base}\nWORKDIR /app\nCOPY . .\nEXPOSE {port}\nCMD ["./run"]\n'
    prompt = rng.choice(
        ["Which port does the Dockerfile expose?", "What port will the container listen on?"]
    )

    def solve() -> Script:
        res = yield Call("grep", {"pattern": "EXPOSE", "path": "Dockerfile"})
        m = re.search(r"EXPOSE (\d+)", res[0].output)
        yield Answer(f"The Dockerfile exposes port {m.group(1) if m else 'none'}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["grep", "read_file", "run_shell"]},
            {"kind": "answer_has", "texts": [str(port)]},
        ],
        solve,
        {"Dockerfile": text},
    )


def entry_point(rng: random.Random) -> Spec:
    mod = rng.choice(MODULES)
    cmd = rng.choice([f"{mod}-cli", f"run-{mod}", mod])
    target = f"{mod}.cli:{rng.choice(['main', 'app', 'run'])}"
    text = f'[project]\nname = "{mod}"\n\n[project.scripts]\n{cmd} = "{target}"\n'
    prompt = "Which command does this package install, and what function does it run?"

    def solve() -> Script:
        res = yield Call("read_file", {"path": "pyproject.toml"})
        m = re.search(
            r'^\s*\d+\t(\S+) = "([^"]+)"', res[0].output.split("[project.scripts]")[-1], re.M
        )
        c, t = (m.group(1), m.group(2)) if m else ("?", "?")
        yield Answer(f"It installs `{c}`, which runs {t}.")

    return Spec(
        prompt,
        [
            {"kind": "tool_called", "name": ["read_file", "grep", "run_shell"]},
            {"kind": "answer_has", "texts": [cmd, target]},
        ],
        solve,
        {"pyproject.toml": text},
    )


FAMILIES: list[tuple[str, str, Callable[[random.Random], Spec]]] = [
    ("json-value", "file_ops", _read_value("port", "json")),
    ("yaml-value", "file_ops", _read_value("workers", "yaml")),
    ("toml-value", "file_ops", _read_value("host", "toml")),
    ("env-value", "file_ops", _read_value("timeout", "env")),
    ("create-file", "file_ops", create_file),
    ("append-gitignore", "file_ops", append_gitignore),
    ("rename-json-key", "file_ops", rename_json_key),
    ("list-directory", "file_ops", list_directory),
    ("count-lines", "file_ops", count_lines),
    ("bump-version", "file_ops", bump_version),
    ("readme-usage", "documentation", readme_usage),
    ("changelog-entry", "documentation", changelog_entry),
    ("add-docstring", "documentation", add_docstring),
    ("document-params", "documentation", document_params),
    ("explain-script", "explain", explain_script),
    ("list-dependencies", "explain", list_dependencies),
    ("dockerfile-port", "explain", dockerfile_port),
    ("entry-point", "explain", entry_point),
]
