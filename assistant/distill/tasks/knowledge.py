"""Questions the assistant answers from knowledge, with its own tools offered and unused.

Each entry: (request, a short answer, words the answer must contain). Answers stay to
one or two sentences: the student is a small model.
"""

from __future__ import annotations

QUESTIONS: list[tuple[str, str, list[str]]] = [
    (
        "In Python, what's the difference between a list and a tuple?",
        "A list is mutable and a tuple is immutable; tuples can also be dictionary keys.",
        ["immutable"],
    ),
    (
        "What does `git rebase` do, in one sentence?",
        "It replays your commits on top of another base commit, giving a linear history.",
        ["commits"],
    ),
    (
        "What is a Python virtual environment for?",
        "It isolates a project's installed packages from the system and from other projects.",
        ["packages"],
    ),
    (
        "How do I reverse a list in Python?",
        "Use `items.reverse()` in place, or `items[::-1]` for a reversed copy.",
        ["[::-1]"],
    ),
    (
        "What does HTTP status 404 mean?",
        "404 means Not Found: the server has no resource at that URL.",
        ["Not Found"],
    ),
    (
        "What does HTTP 503 mean?",
        "503 means Service Unavailable: the server is overloaded or down.",
        ["Unavailable"],
    ),
    (
        "What is Big-O of binary search?",
        "Binary search runs in O(log n) time on sorted data.",
        ["O(log n)"],
    ),
    (
        "In general terms, what is a README.md file for?",
        "A README explains what a project is, how to install it and how to use it.",
        ["install"],
    ),
    (
        "Generally speaking, what is a Makefile used for?",
        "A Makefile names build targets and the commands that produce them, run with `make`.",
        ["make"],
    ),
    (
        "What's a .gitignore file for, in general?",
        "It lists file patterns that git should not track, such as build output.",
        ["track"],
    ),
    (
        "What is the purpose of a requirements.txt file in general?",
        "It lists a Python project's dependencies so `pip install -r requirements.txt` installs them.",
        ["pip install"],
    ),
    (
        "What does `__init__.py` do in a Python package?",
        "It marks a directory as a regular package and runs when the package is imported.",
        ["package"],
    ),
    (
        "What is the difference between `==` and `is` in Python?",
        "`==` compares values, while `is` checks whether two names refer to the same object.",
        ["same object"],
    ),
    (
        "What does `async`/`await` give you in Python?",
        "They let one thread run many I/O-bound tasks concurrently on an event loop.",
        ["event loop"],
    ),
    (
        "What's a race condition?",
        "A bug where the result depends on the timing of concurrent operations on shared state.",
        ["timing"],
    ),
    (
        "Explain what a SQL JOIN does in one sentence.",
        "A JOIN combines rows from two tables where a condition on their columns matches.",
        ["rows"],
    ),
    ("What does `chmod +x` do?", "It makes a file executable.", ["executable"]),
    (
        "What is a pure function?",
        "A function whose result depends only on its arguments and that has no side effects.",
        ["side effects"],
    ),
    (
        "What's the difference between a process and a thread?",
        "Processes have separate memory; threads of one process share the same memory.",
        ["memory"],
    ),
    (
        "What does `git stash` do?",
        "It shelves your uncommitted changes so the working tree is clean, to reapply later.",
        ["uncommitted"],
    ),
    (
        "Why use a dict instead of a list for lookups in Python?",
        "A dict looks keys up in O(1) on average, while searching a list is O(n).",
        ["O(1)"],
    ),
    (
        "What is a decorator in Python?",
        "A function that takes a function and returns a wrapped version of it, applied with @.",
        ["wrapped"],
    ),
    (
        "What does JSON stand for?",
        "JSON stands for JavaScript Object Notation.",
        ["JavaScript Object Notation"],
    ),
    (
        "What is a unit test?",
        "A small automated test that checks one function or class in isolation.",
        ["isolation"],
    ),
    (
        "What is the difference between `git merge` and `git rebase`?",
        "Merge joins histories with a merge commit; rebase rewrites your commits onto the new base.",
        ["merge commit"],
    ),
    (
        "What does the `with` statement do in Python?",
        "It runs a context manager, so cleanup such as closing a file happens even on errors.",
        ["context manager"],
    ),
    (
        "What's the time complexity of appending to a Python list?",
        "Appending is amortised O(1).",
        ["O(1)"],
    ),
    (
        "What does `set -e` do in a bash script?",
        "It makes the script exit as soon as a command fails.",
        ["exit"],
    ),
    (
        "What is a Dockerfile?",
        "A text file of instructions that docker build follows to make an image.",
        ["image"],
    ),
    (
        "What does `pip freeze` print?",
        "It prints the installed packages with their exact versions.",
        ["versions"],
    ),
    (
        "What is recursion?",
        "A function solving a problem by calling itself on smaller inputs.",
        ["calling itself"],
    ),
    (
        "What's the difference between stdout and stderr?",
        "stdout carries normal output and stderr carries errors and diagnostics.",
        ["errors"],
    ),
    (
        "What is semantic versioning?",
        "MAJOR.MINOR.PATCH: breaking changes bump major, features minor, fixes patch.",
        ["MAJOR"],
    ),
    (
        "What does a `yield` in a Python function make it?",
        "It makes the function a generator that produces values lazily.",
        ["generator"],
    ),
    (
        "What is a hash collision?",
        "Two different inputs producing the same hash value.",
        ["same hash"],
    ),
    (
        "What is the purpose of a lock file like poetry.lock?",
        "It pins the exact versions of every dependency so installs are reproducible.",
        ["reproducible"],
    ),
    (
        "In general, what does a CI pipeline do?",
        "It builds and tests every change automatically before it is merged.",
        ["tests"],
    ),
    (
        "What's an environment variable?",
        "A named value in a process's environment, read by programs for configuration.",
        ["configuration"],
    ),
    (
        "What does `grep -r` do?",
        "It searches for a pattern in all files under a directory, recursively.",
        ["recursively"],
    ),
    (
        "What is type hinting in Python?",
        "Annotations that state the expected types; tools like mypy check them, Python does not.",
        ["types"],
    ),
    (
        "In general, what is a pyproject.toml file?",
        "It is the standard file for a Python project's metadata, dependencies and build settings.",
        ["dependencies"],
    ),
    (
        "Without looking at any files: what is a LICENSE file for?",
        "It states the terms under which others may use, change and share the code.",
        ["terms"],
    ),
    (
        "Generally, what goes in a CONTRIBUTING.md?",
        "Guidelines for contributors: how to set up, test, style and submit changes.",
        ["contributors"],
    ),
    (
        "What does a docker-compose.yml usually describe?",
        "The services of an application, with their images, ports and volumes, started together.",
        ["services"],
    ),
    (
        "What is a conftest.py used for in pytest, in general?",
        "It holds fixtures and hooks that pytest shares across the tests in its directory.",
        ["fixtures"],
    ),
    (
        "In general terms, what is a migrations folder for?",
        "It keeps ordered scripts that change the database schema step by step.",
        ["schema"],
    ),
    (
        "What does `ls -la` show? No need to run it.",
        "It lists all files, hidden ones too, with permissions, owner, size and date.",
        ["hidden"],
    ),
    (
        "What does `git clone` do?",
        "It copies a remote repository, with its history, to your machine.",
        ["history"],
    ),
    (
        "What does `python -m venv .venv` do?",
        "It creates a virtual environment in the .venv folder.",
        ["virtual environment"],
    ),
    (
        "What is the difference between `git pull` and `git fetch`?",
        "fetch downloads new commits; pull fetches and then merges them into your branch.",
        ["merges"],
    ),
    (
        "What does `*args` mean in a Python function signature?",
        "It collects any extra positional arguments into a tuple.",
        ["tuple"],
    ),
    ("What does `**kwargs` collect?", "Extra keyword arguments, as a dict.", ["dict"]),
    (
        "What is a list comprehension?",
        "A compact expression that builds a list, like `[x * 2 for x in items]`.",
        ["for"],
    ),
    (
        "What does `enumerate` do in Python?",
        "It yields (index, item) pairs while iterating.",
        ["index"],
    ),
    (
        "What does `zip` do in Python?",
        "It pairs up items from several iterables, stopping at the shortest.",
        ["shortest"],
    ),
    (
        "What is the GIL?",
        "CPython's global interpreter lock: one thread runs Python bytecode at a time.",
        ["one thread"],
    ),
    (
        "When should I use a set in Python?",
        "When you need unique items and fast membership tests.",
        ["unique"],
    ),
    (
        "What is a REST API?",
        "An HTTP interface where URLs name resources and methods like GET and POST act on them.",
        ["HTTP"],
    ),
    (
        "What does idempotent mean for an HTTP method?",
        "Repeating the request has the same effect as doing it once, as with PUT and DELETE.",
        ["same effect"],
    ),
    (
        "What is a foreign key?",
        "A column that refers to the primary key of a row in another table.",
        ["primary key"],
    ),
    (
        "What is an index in a database?",
        "A data structure that speeds up lookups on a column at the cost of slower writes.",
        ["lookups"],
    ),
    (
        "What is the difference between TCP and UDP?",
        "TCP is reliable and ordered; UDP is connectionless and may drop or reorder packets.",
        ["reliable"],
    ),
    ("What is a regular expression?", "A pattern language for matching text.", ["pattern"]),
    (
        "What does `^` mean in a regular expression?",
        "It anchors the match to the start of the line.",
        ["start"],
    ),
    (
        "What is a memory leak?",
        "Memory a program keeps allocating and never frees, so its usage grows over time.",
        ["frees"],
    ),
    (
        "What is dependency injection?",
        "Passing a component's dependencies in from outside instead of creating them inside it.",
        ["outside"],
    ),
    ("What does DRY stand for?", "Don't Repeat Yourself.", ["Repeat"]),
    (
        "What is a mock in testing?",
        "A stand-in object that records calls and returns canned answers.",
        ["stand-in"],
    ),
    ("What is code coverage?", "The share of lines or branches that the tests execute.", ["tests"]),
    (
        "What is the difference between a shallow and a deep copy?",
        "A shallow copy shares nested objects; a deep copy duplicates them too.",
        ["nested"],
    ),
    (
        "What is UTF-8?",
        "A variable-length encoding of Unicode that is backward compatible with ASCII.",
        ["Unicode"],
    ),
    ("What does `json.dumps` return?", "A JSON string of the given Python object.", ["string"]),
    (
        "What is a lambda in Python?",
        "A small anonymous function written as one expression.",
        ["anonymous"],
    ),
    ("What does `break` do in a loop?", "It leaves the loop at once.", ["leaves"]),
    (
        "What does an exit code of 0 mean by convention?",
        "Success; any other code means an error.",
        ["Success"],
    ),
    (
        "What is a merge conflict?",
        "Two branches changed the same lines, so git needs you to choose the result.",
        ["same lines"],
    ),
    ("What is a SHA in git?", "The hash that identifies a commit.", ["hash"]),
    (
        "What is continuous deployment?",
        "Releasing every change that passes the pipeline to production automatically.",
        ["automatically"],
    ),
    (
        "What's the difference between `None` and `False` in Python?",
        "None means no value; False is the boolean false. Both are falsy.",
        ["falsy"],
    ),
    (
        "What does `if __name__ == '__main__':` do?",
        "It runs the block only when the file is executed directly, not when imported.",
        ["imported"],
    ),
]

CHAT: list[tuple[str, str, list[str]]] = [
    ("Thanks, that fixed it!", "Glad it works now. Tell me if anything else comes up.", ["Glad"]),
    ("Hi there!", "Hello! What would you like to work on?", ["Hello"]),
    ("Good morning.", "Good morning! What can I do for you today?", ["Good morning"]),
    ("You're a great help.", "Thank you! Happy to keep going whenever you are.", ["Thank you"]),
    (
        "What can you do?",
        "I can read, search and edit files in this project and run commands or tests.",
        ["files"],
    ),
    (
        "Who are you?",
        "I'm assistant, a coding agent that works in your project with tools.",
        ["coding"],
    ),
    ("Let's take a break.", "Sure, pick up whenever you're ready.", ["ready"]),
    ("That's all for today, bye.", "Bye! Your work is saved in the project.", ["Bye"]),
    ("ok", "Okay. What should I do next?", ["next"]),
    ("Can you speak French?", "Oui, un peu; but I work best on code in English.", ["Oui"]),
    (
        "Tell me a short programming joke.",
        "There are 10 kinds of people: those who understand binary and those who don't.",
        ["binary"],
    ),
    ("How are you today?", "Doing well, thanks. What are we building?", ["thanks"]),
    (
        "Never mind, I solved it myself.",
        "Great, nice work. I'm here if you need anything.",
        ["nice work"],
    ),
    (
        "Do you need internet access to help me?",
        "No, I work on the files in this project and run commands in a local sandbox.",
        ["sandbox"],
    ),
]
