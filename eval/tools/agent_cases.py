"""Cases with the assistant's own tools (read_file, grep, run_shell, ...), for evaluation only.

The tool specs and the system prompt are the agent's real ones (build_cases.py bakes
them in). ``CALLS``: (prompt, [(tool, {param: acceptable values})]).
``NO_CALL``: prompts where the right move is to answer (or ask back) without a tool.
``FOLLOW_UPS``: a question, the call the agent made and its result; the result already
answers the question, so the next reply should call nothing.
"""

from __future__ import annotations

from typing import Any

ANY_DEPTH: list[Any] = ["", 1, 2, 3, 4, 5]
NO_ROOT: list[Any] = ["", ".", "./", "/workspace", "/workspace/"]


def P(path: str) -> list[str]:
    """A workspace path as the model may write it."""
    return [path, f"./{path}", f"/workspace/{path}"]


def D(path: str) -> list[str]:
    return [*P(path), f"{path}/", f"./{path}/", f"/workspace/{path}/"]


def code(*variants: str) -> list[str]:
    out: list[str] = []
    for v in variants:
        out += [v, v + "\n"]
    return out


PYTEST = [
    "pytest",
    "pytest -q",
    "pytest -v",
    "python -m pytest",
    "python3 -m pytest",
    "python -m pytest -q",
    "python3 -m pytest -q",
    "python -m pytest -v",
    "python3 -m pytest -v",
]

CALLS: list[tuple[str, list[tuple[str, dict[str, list[Any]]]]]] = [
    # read_file
    ("Show me what's in setup.cfg.", [("read_file", {"path": P("setup.cfg")})]),
    (
        "Open src/shop/routes.py so I can see it.",
        [("read_file", {"path": P("src/shop/routes.py")})],
    ),
    (
        "Print lines 40 to 65 of server/handlers.py.",
        [("read_file", {"path": P("server/handlers.py"), "start_line": [40], "end_line": [65]})],
    ),
    ("What does our Makefile contain? Read it.", [("read_file", {"path": P("Makefile")})]),
    ("Read docs/CONTRIBUTING.md for me.", [("read_file", {"path": P("docs/CONTRIBUTING.md")})]),
    (
        "Look at config/settings.yaml and tell me which database host it points to.",
        [("read_file", {"path": P("config/settings.yaml")})],
    ),
    (
        "Show the first 25 lines of CHANGELOG.md.",
        [("read_file", {"path": P("CHANGELOG.md"), "start_line": ["", 1], "end_line": [25]})],
    ),
    ("What's in the .gitignore file?", [("read_file", {"path": P(".gitignore")})]),
    (
        "Check the Dockerfile: which base image does it start from?",
        [("read_file", {"path": P("Dockerfile")})],
    ),
    (
        "Read lib/billing/tax.py from line 120 onwards.",
        [("read_file", {"path": P("lib/billing/tax.py"), "start_line": [120]})],
    ),
    # list_files
    (
        "List every file and folder in this project.",
        [("list_files", {"path": NO_ROOT, "max_depth": ANY_DEPTH})],
    ),
    (
        "What is inside the tests folder? List it.",
        [("list_files", {"path": D("tests"), "max_depth": ANY_DEPTH})],
    ),
    (
        "Show me the folder layout under src, only two levels deep.",
        [("list_files", {"path": D("src"), "max_depth": [2]})],
    ),
    (
        "List the top level of the repository only, one level deep.",
        [("list_files", {"path": NO_ROOT, "max_depth": [1]})],
    ),
    # glob
    (
        "Which files match the glob *.toml?",
        [("glob", {"pattern": ["*.toml", "**/*.toml"], "path": NO_ROOT})],
    ),
    (
        "Find every file named conftest.py in the repo.",
        [("glob", {"pattern": ["conftest.py", "**/conftest.py"], "path": NO_ROOT})],
    ),
    (
        "Are there any .sql files under migrations/? Use a glob.",
        [
            (
                "glob",
                {
                    "pattern": ["*.sql", "**/*.sql", "migrations/*.sql", "migrations/**/*.sql"],
                    "path": [*NO_ROOT, *D("migrations")],
                },
            )
        ],
    ),
    (
        "Find all Markdown files (*.md) in docs.",
        [
            (
                "glob",
                {
                    "pattern": ["*.md", "**/*.md", "docs/*.md", "docs/**/*.md"],
                    "path": [*NO_ROOT, *D("docs")],
                },
            )
        ],
    ),
    # grep
    (
        "Search the code for TODO comments.",
        [
            (
                "grep",
                {
                    "pattern": ["TODO", "TODO:", "# TODO"],
                    "path": NO_ROOT,
                    "glob": [""],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            )
        ],
    ),
    (
        "Where is parse_header called? Search the codebase for it.",
        [
            (
                "grep",
                {
                    "pattern": ["parse_header", "parse_header\\(", "parse_header("],
                    "path": NO_ROOT,
                    "glob": ["", "*.py", "**/*.py"],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            )
        ],
    ),
    (
        "Find lines mentioning DATABASE_URL in the Python files.",
        [
            (
                "grep",
                {
                    "pattern": ["DATABASE_URL"],
                    "path": NO_ROOT,
                    "glob": ["*.py", "**/*.py"],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            )
        ],
    ),
    (
        "Grep for the word deprecated, case-insensitive.",
        [
            (
                "grep",
                {
                    "pattern": ["deprecated", "Deprecated", "\\bdeprecated\\b"],
                    "path": NO_ROOT,
                    "glob": [""],
                    "ignore_case": [True],
                    "max_results": ["", 200],
                },
            )
        ],
    ),
    (
        "Which modules import httpx? Search for 'import httpx'.",
        [
            (
                "grep",
                {
                    "pattern": ["import httpx", "^import httpx"],
                    "path": NO_ROOT,
                    "glob": ["", "*.py", "**/*.py"],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            )
        ],
    ),
    (
        "Search only inside the api/ folder for 'rate_limit'.",
        [
            (
                "grep",
                {
                    "pattern": ["rate_limit"],
                    "path": D("api"),
                    "glob": [""],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            )
        ],
    ),
    # run_shell
    (
        "Run the test suite with pytest.",
        [("run_shell", {"command": PYTEST, "timeout": ["", 60, 120, 300, 600]})],
    ),
    (
        "Show me the last 5 commits, one line each, using git log.",
        [
            (
                "run_shell",
                {
                    "command": [
                        "git log --oneline -5",
                        "git log --oneline -n 5",
                        "git log -5 --oneline",
                        "git log -n 5 --oneline",
                        "git log --oneline -n5",
                        "git log --pretty=oneline -5",
                        "git log -5 --pretty=oneline",
                        "git log --oneline --max-count=5",
                    ],
                    "timeout": ["", 60],
                },
            )
        ],
    ),
    (
        "Run `npm test` in the sandbox.",
        [("run_shell", {"command": ["npm test"], "timeout": ["", 60, 120, 300]})],
    ),
    (
        "Execute make lint.",
        [("run_shell", {"command": ["make lint"], "timeout": ["", 60, 120, 300]})],
    ),
    (
        "How much space does the data directory take? Use du.",
        [
            (
                "run_shell",
                {
                    "command": [
                        "du -sh data",
                        "du -sh data/",
                        "du -sh ./data",
                        "du -h data",
                        "du -s data",
                        "du -sh /workspace/data",
                    ],
                    "timeout": ["", 60],
                },
            )
        ],
    ),
    (
        "Install the dependencies: pip install -r requirements.txt",
        [
            (
                "run_shell",
                {
                    "command": [
                        "pip install -r requirements.txt",
                        "pip3 install -r requirements.txt",
                        "python -m pip install -r requirements.txt",
                        "python3 -m pip install -r requirements.txt",
                    ],
                    "timeout": ["", 60, 120, 300, 600],
                },
            )
        ],
    ),
    (
        "Run the script scripts/migrate.sh.",
        [
            (
                "run_shell",
                {
                    "command": [
                        "bash scripts/migrate.sh",
                        "sh scripts/migrate.sh",
                        "./scripts/migrate.sh",
                        "scripts/migrate.sh",
                    ],
                    "timeout": ["", 60, 120, 300],
                },
            )
        ],
    ),
    (
        "Show the uncommitted changes with git diff.",
        [("run_shell", {"command": ["git diff", "git diff HEAD"], "timeout": ["", 60]})],
    ),
    (
        "Count the lines of main.go with wc.",
        [
            (
                "run_shell",
                {
                    "command": ["wc -l main.go", "wc main.go", "wc -l ./main.go"],
                    "timeout": ["", 60],
                },
            )
        ],
    ),
    # run_python
    (
        "Run this Python and report what it prints: print(sum(range(1, 101)))",
        [("run_python", {"code": code("print(sum(range(1, 101)))"), "timeout": ["", 60]})],
    ),
    (
        "Execute this snippet in Python: import platform; print(platform.machine())",
        [
            (
                "run_python",
                {
                    "code": code(
                        "import platform; print(platform.machine())",
                        "import platform\nprint(platform.machine())",
                    ),
                    "timeout": ["", 60],
                },
            )
        ],
    ),
    (
        "Use Python to print sorted('banana').",
        [
            (
                "run_python",
                {
                    "code": code("print(sorted('banana'))", 'print(sorted("banana"))'),
                    "timeout": ["", 60],
                },
            )
        ],
    ),
    (
        "Run print(len('incomprehensibilities')) in Python.",
        [
            (
                "run_python",
                {
                    "code": code(
                        "print(len('incomprehensibilities'))", 'print(len("incomprehensibilities"))'
                    ),
                    "timeout": ["", 60],
                },
            )
        ],
    ),
    # write_file
    (
        "Create hello.txt with exactly this text: Hello, world!",
        [("write_file", {"path": P("hello.txt"), "content": code("Hello, world!")})],
    ),
    (
        "Write a .dockerignore that contains the single line node_modules",
        [("write_file", {"path": P(".dockerignore"), "content": code("node_modules")})],
    ),
    (
        "Make a new file VERSION holding the text 2.4.1",
        [("write_file", {"path": P("VERSION"), "content": code("2.4.1")})],
    ),
    (
        "Save the line export PORT=8080 into env.sh.",
        [("write_file", {"path": P("env.sh"), "content": code("export PORT=8080")})],
    ),
    # edit_file
    (
        "In settings.py, change DEBUG = True to DEBUG = False.",
        [
            (
                "edit_file",
                {
                    "path": P("settings.py"),
                    "old_text": ["DEBUG = True"],
                    "new_text": ["DEBUG = False"],
                    "replace_all": ["", False],
                },
            )
        ],
    ),
    (
        "In app.py, replace every occurrence of 'usr' with 'user'.",
        [
            (
                "edit_file",
                {
                    "path": P("app.py"),
                    "old_text": ["usr"],
                    "new_text": ["user"],
                    "replace_all": [True],
                },
            )
        ],
    ),
    (
        "Fix the typo in notify.py: 'recieve' should be 'receive'. It occurs once.",
        [
            (
                "edit_file",
                {
                    "path": P("notify.py"),
                    "old_text": ["recieve"],
                    "new_text": ["receive"],
                    "replace_all": ["", False],
                },
            )
        ],
    ),
    (
        'In package.json, bump "version": "1.3.0" to "version": "1.4.0".',
        [
            (
                "edit_file",
                {
                    "path": P("package.json"),
                    "old_text": ['"version": "1.3.0"'],
                    "new_text": ['"version": "1.4.0"'],
                    "replace_all": ["", False],
                },
            )
        ],
    ),
    # docs
    (
        "Look up the documentation of json.dumps.",
        [("docs", {"query": ["json.dumps"], "module": ["", "json"]})],
    ),
    (
        "What's the signature of pathlib.Path.read_text? Check the docs.",
        [
            (
                "docs",
                {
                    "query": ["pathlib.Path.read_text", "Path.read_text", "read_text"],
                    "module": ["", "pathlib"],
                },
            )
        ],
    ),
    (
        "Search the itertools docs for groupby.",
        [("docs", {"query": ["groupby", "itertools.groupby"], "module": ["", "itertools"]})],
    ),
    # fetch_url
    (
        "Download https://example.com/robots.txt and show it to me.",
        [
            (
                "fetch_url",
                {"url": ["https://example.com/robots.txt"], "max_bytes": [""], "timeout": [""]},
            )
        ],
    ),
    (
        "Fetch the page at https://peps.python.org/pep-0008/.",
        [
            (
                "fetch_url",
                {
                    "url": [
                        "https://peps.python.org/pep-0008/",
                        "https://peps.python.org/pep-0008",
                    ],
                    "max_bytes": [""],
                    "timeout": [""],
                },
            )
        ],
    ),
    # several calls
    (
        "Read both pyproject.toml and setup.py.",
        [("read_file", {"path": P("pyproject.toml")}), ("read_file", {"path": P("setup.py")})],
    ),
    (
        "Search the code for FIXME and, separately, for HACK.",
        [
            (
                "grep",
                {
                    "pattern": ["FIXME"],
                    "path": NO_ROOT,
                    "glob": [""],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            ),
            (
                "grep",
                {
                    "pattern": ["HACK"],
                    "path": NO_ROOT,
                    "glob": [""],
                    "ignore_case": ["", False],
                    "max_results": ["", 200],
                },
            ),
        ],
    ),
]

NO_CALL_GENERAL = [
    "Explain the difference between a list and a tuple in Python.",
    "What does HTTP status code 418 mean?",
    "How do I reverse a string in JavaScript? Just show the snippet.",
    "Write a regular expression that matches a US ZIP code.",
    "What is the time complexity of looking up a key in a Python dict?",
    "Thanks, that's all for now!",
    "Hi there! What kinds of things can you help me with?",
    "What is the difference between git merge and git rebase?",
    "Give me a one-line bash command that counts the lines in all .py files; don't run it.",
    "Explain what a race condition is, with a short example.",
    "Should I indent Python with tabs or spaces?",
    "What does the yield keyword do in Python?",
    "Translate this SQL into plain English: SELECT name FROM users WHERE age > 30;",
    "Write a haiku about debugging.",
    "Explain Big-O notation in two sentences.",
    "How do I undo my last git commit but keep the changes? Just tell me the command.",
    "Rewrite this as an f-string: 'Hello %s' % name",
    "What's wrong with this loop: `for i in range(len(xs)): print(xs[i+1])`?",
    "Is Python pass-by-reference or pass-by-value?",
    "In one paragraph, what is a Dockerfile for?",
    "What's the difference between == and is in Python?",
    "Suggest a good name for a function that removes duplicate email addresses from a list.",
    "What does the regex ^\\d{3}-\\d{4}$ match?",
    "How do I create a virtual environment for a Python project?",
    "What is the default port of PostgreSQL?",
]

NO_CALL_NEAR = [
    "Send an email to the team saying the build is green.",
    "Schedule a code review meeting with Dana for tomorrow at 10.",
    "Order a pizza to the office, please.",
    "Remind me in an hour to push my changes.",
    "Post a message in our Slack channel that the deploy is done.",
    "Call the on-call engineer and tell them the API is down.",
]

NO_CALL_MISSING = [
    "Read the file for me.",
    "Rename the function.",
    "Create a new file with the following content:",
    "Search the code for it.",
    "Replace the old value with the new one in the config file.",
    "Fetch that URL.",
]

FOLLOW_UPS: list[tuple[str, tuple[str, dict[str, Any]], str]] = [
    (
        "Which functions does geometry.py define?",
        ("read_file", {"path": "geometry.py"}),
        "1\timport math\n2\t\n3\tdef circle_area(r):\n4\t    return math.pi * r * r\n5\t\n"
        "6\tdef square_area(side):\n7\t    return side * side\n",
    ),
    (
        "Which test is failing? Run the suite and name it.",
        ("run_shell", {"command": "python -m pytest -q"}),
        "..F.\n=================================== FAILURES ===================================\n"
        "____________________________ test_discount_rounding ____________________________\n"
        "    assert apply_discount(19.99, 0.15) == 16.99\nE   assert 16.9915 == 16.99\n"
        "FAILED tests/test_pricing.py::test_discount_rounding - assert 16.9915 == 16.99\n"
        "1 failed, 3 passed in 0.12s\nexit code: 1",
    ),
    (
        "Where is MAX_RETRIES defined?",
        ("grep", {"pattern": "MAX_RETRIES ="}),
        "client/http.py:12:MAX_RETRIES = 5",
    ),
    (
        "How many files are in the scripts folder?",
        ("list_files", {"path": "scripts"}),
        "scripts/\n  backup.sh\n  deploy.sh\n  seed_db.py\n",
    ),
    (
        "What version is this package? It's in VERSION.",
        ("read_file", {"path": "VERSION"}),
        "1\t3.7.2\n",
    ),
    (
        "What does `python3 --version` say in the sandbox?",
        ("run_shell", {"command": "python3 --version"}),
        "Python 3.11.2\nexit code: 0",
    ),
]
