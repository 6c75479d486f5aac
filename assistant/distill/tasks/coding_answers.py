"""General coding questions with the agent's own tools offered: answer in text, call nothing.

Snippet requests ("just show it", "don't run it"), regexes, one-line commands the user
will run themselves, concepts, and conversational closers. None of them needs the
workspace, so the right reply is a short answer and no tool call. Each entry:
(request, a short answer, words the answer must contain). Answers stay to one or two
sentences or a snippet of at most six lines: the student is a small model.
"""

from __future__ import annotations

import random

from assistant.distill.scripted import Answer, Script
from assistant.distill.tasks.base import Family, Spec

CATEGORY = "coding_answers"

SNIPPETS: list[tuple[str, str, list[str]]] = [
    (
        "Show me how to read a file line by line in Python. Just the snippet, please.",
        "```python\nwith open(path) as f:\n    for line in f:\n        print(line.rstrip())\n```",
        ["with open(path)"],
    ),
    (
        "How do I sort a list of dicts by their 'age' key in Python? Just show the code.",
        '`people.sort(key=lambda p: p["age"])`, or `sorted(people, key=...)` for a new list.',
        ["key=lambda"],
    ),
    (
        "How can I drop duplicate values from an array in JavaScript? Only the one-liner.",
        "`const unique = [...new Set(arr)];`",
        ["[...new Set(arr)]"],
    ),
    (
        "Show a TypeScript interface for a user with a name and an optional email.",
        "```ts\ninterface User {\n  name: string;\n  email?: string;\n}\n```",
        ["interface User", "email?"],
    ),
    (
        "In Go, how do I loop over a map's keys and values? Just the snippet.",
        "```go\nfor key, value := range m {\n    fmt.Println(key, value)\n}\n```",
        ["range m"],
    ),
    (
        "How do I read an environment variable in Rust? Show the line only.",
        '`let home = std::env::var("HOME").unwrap_or_default();` returns "" when it is unset.',
        ["std::env::var"],
    ),
    (
        "Write a SQL query that counts customers per country. Don't run anything.",
        "`SELECT country, COUNT(*) FROM customers GROUP BY country;`",
        ["GROUP BY country"],
    ),
    (
        "How do I center a div horizontally and vertically with flexbox? Just the CSS.",
        "`.parent { display: flex; justify-content: center; align-items: center; }`",
        ["justify-content: center", "align-items: center"],
    ),
    (
        "In bash, how do I loop over every .txt file in the current folder? Just show it.",
        '`for f in *.txt; do echo "$f"; done`',
        ["for f in *.txt"],
    ),
    (
        "Write a Python one-liner that flattens a list of lists.",
        "`flat = [x for sub in lists for x in sub]`",
        ["for sub in lists for x in sub"],
    ),
    (
        "How do I deep-copy a plain object in modern JavaScript? Just the line.",
        "`const copy = structuredClone(obj);`",
        ["structuredClone"],
    ),
    (
        "Show me how to get today's date as YYYY-MM-DD in Python.",
        "`datetime.date.today().isoformat()` gives a string like `2024-05-01`.",
        ["datetime.date.today().isoformat()"],
    ),
    (
        "How do I convert a string to an int in Go? Code only.",
        "`n, err := strconv.Atoi(s)`, then check `err` before using `n`.",
        ["strconv.Atoi"],
    ),
    (
        "Write a Rust function that returns the larger of two i32 values.",
        "```rust\nfn larger(a: i32, b: i32) -> i32 {\n    a.max(b)\n}\n```",
        ["a.max(b)"],
    ),
    (
        "Give me the SQL to add an email column to a users table; I'll run it myself.",
        "`ALTER TABLE users ADD COLUMN email TEXT;`",
        ["ALTER TABLE users ADD COLUMN email"],
    ),
    (
        "What CSS rule makes a .warn element's text bold and red? Just the rule.",
        "`.warn { font-weight: bold; color: red; }`",
        ["font-weight: bold", "color: red"],
    ),
    (
        "How do I wait 2 seconds inside an async JavaScript function? Just the line.",
        "`await new Promise((r) => setTimeout(r, 2000));`",
        ["setTimeout", "2000"],
    ),
    (
        "How do I merge two dicts in Python 3.9 or later? Just the expression.",
        "`merged = a | b`; keys from `b` win on a clash.",
        ["a | b"],
    ),
    (
        "Write a list comprehension that keeps only the even numbers from nums.",
        "`evens = [n for n in nums if n % 2 == 0]`",
        ["n % 2 == 0"],
    ),
    (
        "In TypeScript, how do I type a function that takes a string and returns a number?",
        "`const parse: (s: string) => number = (s) => Number(s);`",
        ["(s: string) => number"],
    ),
    (
        "Show a Go struct for a point with X and Y float64 fields.",
        "```go\ntype Point struct {\n    X, Y float64\n}\n```",
        ["type Point struct"],
    ),
    (
        "How do I iterate over a Vec with its indexes in Rust? Snippet only.",
        '`for (i, x) in v.iter().enumerate() { println!("{i}: {x}"); }`',
        ["v.iter().enumerate()"],
    ),
    (
        "How do I turn a JSON string into an object in JavaScript? One line.",
        "`const data = JSON.parse(text);`",
        ["JSON.parse"],
    ),
    (
        "How do I save a dict as a JSON file in Python? Show me, don't create any file.",
        '```python\nwith open("out.json", "w") as f:\n    json.dump(data, f, indent=2)\n```',
        ["json.dump"],
    ),
    (
        "Write a SQL query that returns the five most expensive products.",
        "`SELECT * FROM products ORDER BY price DESC LIMIT 5;`",
        ["ORDER BY price DESC LIMIT 5"],
    ),
    (
        "Write a CSS media query that hides .sidebar on screens up to 600px wide.",
        "`@media (max-width: 600px) { .sidebar { display: none; } }`",
        ["@media (max-width: 600px)"],
    ),
    (
        "Show me a Python try/except that falls back to 0 when int() gets bad text.",
        "```python\ntry:\n    n = int(text)\nexcept ValueError:\n    n = 0\n```",
        ["except ValueError"],
    ),
]

FUNCTIONS: list[tuple[str, str, list[str]]] = [
    (
        "Write a function that checks whether a string is a palindrome.",
        "```python\ndef is_palindrome(s: str) -> bool:\n    return s == s[::-1]\n```",
        ["s[::-1]"],
    ),
    (
        "Write a Python function that returns the factorial of n.",
        "```python\ndef factorial(n: int) -> int:\n    return 1 if n <= 1 else n * factorial(n - 1)\n```",
        ["factorial(n - 1)"],
    ),
    (
        "Show me how to define a Python dataclass with a name and an age.",
        "```python\nfrom dataclasses import dataclass\n\n@dataclass\nclass Person:\n"
        "    name: str\n    age: int\n```",
        ["@dataclass"],
    ),
    (
        "Write a JavaScript function that capitalises the first letter of a string.",
        "`const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);`",
        ["s.charAt(0).toUpperCase()"],
    ),
    (
        "Write a Go function that adds up a slice of ints.",
        "```go\nfunc sum(xs []int) (total int) {\n    for _, x := range xs {\n        total += x\n"
        "    }\n    return\n}\n```",
        ["range xs"],
    ),
    (
        "Show me how to get a value from a Python dict without a KeyError when it's missing.",
        '`d.get("key", default)` returns `default` instead of raising `KeyError`.',
        ["d.get"],
    ),
    (
        "Write a bash function that prints its first argument in upper case.",
        '`upper() { echo "${1^^}"; }` (needs bash 4 or later).',
        ["${1^^}"],
    ),
    (
        "Show me how to time a block of code in Python.",
        "```python\nimport time\nstart = time.perf_counter()\n# ... the work ...\n"
        "print(time.perf_counter() - start)\n```",
        ["time.perf_counter()"],
    ),
    (
        "Write a SQL statement that deletes users whose last_login is empty.",
        "`DELETE FROM users WHERE last_login IS NULL;`",
        ["IS NULL"],
    ),
    (
        "Show me how to define a Rust enum for traffic light colours.",
        "```rust\nenum Light {\n    Red,\n    Yellow,\n    Green,\n}\n```",
        ["enum Light"],
    ),
    (
        "How do I give a Python class a readable string form? Explain, don't edit anything.",
        "Define `__str__` (and `__repr__` for debugging) to return the text you want.",
        ["__str__"],
    ),
    (
        "Explain in one sentence what `Array.prototype.map` does in JavaScript.",
        "`arr.map(fn)` returns a new array with `fn` applied to each element, "
        "leaving the original unchanged.",
        ["new array"],
    ),
]

COMMANDS: list[tuple[str, str, list[str]]] = [
    (
        "Tell me the command to show how much disk space each folder here uses. Don't run it.",
        "`du -sh */` prints each folder's size in human-readable units.",
        ["du -sh"],
    ),
    (
        "What's the command to find files bigger than 100 MB below this directory? "
        "Just tell me, don't run it.",
        "`find . -type f -size +100M`",
        ["-size +100M"],
    ),
    (
        "Just tell me the git command to create and switch to a new branch called feature-x.",
        "`git switch -c feature-x` (or the older `git checkout -b feature-x`).",
        ["git switch -c feature-x"],
    ),
    (
        "Give me the command to see which process is listening on port 8080; I'll run it myself.",
        "`lsof -i :8080` (or `ss -ltnp | grep 8080` on Linux).",
        ["lsof -i :8080"],
    ),
    (
        "What command replaces every 'foo' with 'bar' in notes.txt in place? Don't run it.",
        "`sed -i 's/foo/bar/g' notes.txt` (on macOS write `sed -i ''`).",
        ["s/foo/bar/g"],
    ),
    (
        "How do I count the lines of a file called log.txt? Just the command.",
        "`wc -l log.txt`",
        ["wc -l"],
    ),
    (
        "One-liner to show the 10 most recent git commits compactly, please. Don't execute it.",
        "`git log --oneline -10`",
        ["git log --oneline"],
    ),
    (
        "Give me the command to extract archive.tar.gz, without running it.",
        "`tar -xzf archive.tar.gz`",
        ["tar -xzf"],
    ),
    (
        "What command shows the last 50 lines of app.log and keeps following it? Don't run it.",
        "`tail -n 50 -f app.log`",
        ["tail -n 50 -f"],
    ),
    (
        "Just tell me the command that prints all environment variables.",
        "`printenv` (or plain `env`) prints them all.",
        ["printenv"],
    ),
    (
        "Give me a one-liner that finds every TODO in .js files recursively, but don't run it.",
        '`grep -rn "TODO" --include="*.js" .`',
        ['--include="*.js"'],
    ),
    (
        "What's the command to delete a local git branch named old-ui? Just tell me.",
        "`git branch -d old-ui` (use `-D` to force it if it isn't merged).",
        ["git branch -d old-ui"],
    ),
    (
        "How do I stop the process with PID 4321? Just the command please, don't run anything.",
        "`kill 4321`, or `kill -9 4321` if it ignores the normal signal.",
        ["kill 4321"],
    ),
    (
        "Tell me the docker command to list all containers, including stopped ones. Don't run it.",
        "`docker ps -a`",
        ["docker ps -a"],
    ),
    (
        "What's the command to install the rich package at version 13.7.0? Don't run it.",
        "`pip install rich==13.7.0`",
        ["pip install rich==13.7.0"],
    ),
    (
        "Which command makes a nested directory like a/b/c in one go? No need to run it.",
        "`mkdir -p a/b/c` creates the parents as needed.",
        ["mkdir -p"],
    ),
]

REGEXES: list[tuple[str, str, list[str]]] = [
    (
        "Write a regex that matches a date in YYYY-MM-DD format.",
        r"`^\d{4}-\d{2}-\d{2}$` (it checks the shape, not whether the date exists).",
        [r"^\d{4}-\d{2}-\d{2}$"],
    ),
    (
        "Give me a regular expression for a CSS hex colour like #fff or #1a2b3c.",
        r"`^#(?:[0-9a-fA-F]{3}){1,2}$`",
        [r"^#(?:[0-9a-fA-F]{3}){1,2}$"],
    ),
    (
        "I need a simple regex for email addresses; it doesn't have to be perfect.",
        r"`^[^@\s]+@[^@\s]+\.[^@\s]+$` is good enough for a basic check.",
        [r"^[^@\s]+@[^@\s]+\.[^@\s]+$"],
    ),
    (
        "Regex for an IPv4 address? A simple version is fine.",
        r"`^(?:\d{1,3}\.){3}\d{1,3}$`; it does not check that each part is at most 255.",
        [r"^(?:\d{1,3}\.){3}\d{1,3}$"],
    ),
    (
        "What regex matches a 24-hour time like 09:45 or 23:59?",
        r"`^([01]\d|2[0-3]):[0-5]\d$`",
        [r"^([01]\d|2[0-3]):[0-5]\d$"],
    ),
    (
        "Write a regex that matches a line made only of digits.",
        r"`^\d+$`",
        [r"^\d+$"],
    ),
    (
        "Give me a simple regex for a UK postcode such as SW1A 1AA.",
        r"`^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$`; match case-insensitively for lower case.",
        [r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$"],
    ),
    (
        "Write a regex that matches a semantic version such as 1.4.2.",
        r"`^\d+\.\d+\.\d+$`",
        [r"^\d+\.\d+\.\d+$"],
    ),
    (
        "Regex to find hashtags like #python in a tweet?",
        r"`#\w+` matches a # followed by letters, digits or underscores.",
        [r"#\w+"],
    ),
    (
        "What regex matches runs of whitespace, so I can split a sentence into words?",
        r'`\s+`, for example `re.split(r"\s+", text.strip())`.',
        [r"\s+"],
    ),
    (
        "Write a regex that matches a lowercase URL slug like my-first-post.",
        r"`^[a-z0-9]+(?:-[a-z0-9]+)*$`",
        [r"^[a-z0-9]+(?:-[a-z0-9]+)*$"],
    ),
    (
        "Regex that matches a whole positive or negative integer?",
        r"`^-?\d+$`",
        [r"^-?\d+$"],
    ),
    (
        "Write a regular expression for a URL that starts with http or https.",
        r"`^https?://\S+$`",
        [r"^https?://\S+$"],
    ),
    (
        "Give me a regex that matches a valid Python identifier (ASCII is fine).",
        r"`^[A-Za-z_][A-Za-z0-9_]*$`",
        [r"^[A-Za-z_][A-Za-z0-9_]*$"],
    ),
]

CONCEPTS: list[tuple[str, str, list[str]]] = [
    (
        "What's the difference between a stack and a queue?",
        "A stack is LIFO (last in, first out) and a queue is FIFO (first in, first out).",
        ["LIFO", "FIFO"],
    ),
    (
        "Explain the difference between let and const in JavaScript.",
        "Both are block-scoped, but a `const` binding cannot be reassigned while a `let` can.",
        ["reassigned"],
    ),
    (
        "In JavaScript, when should I use === rather than ==?",
        'Almost always: `===` compares without type coercion, while `==` coerces first, so `0 == "0"` is true.',
        ["coercion"],
    ),
    (
        "What is a closure in programming?",
        "A closure is a function that keeps access to variables from the scope where it was "
        "defined, even after that scope has returned.",
        ["scope"],
    ),
    (
        "Explain what a pointer is in C, briefly.",
        "A pointer is a variable holding the memory address of another value; `*p` reads the value it points to.",
        ["address"],
    ),
    (
        "What's the difference between an abstract class and an interface?",
        "An interface only declares the methods a type must provide, while an abstract class "
        "can also hold state and shared implementation.",
        ["implementation"],
    ),
    (
        "What is the difference between SQL and NoSQL databases?",
        "SQL databases keep rows in tables with a fixed schema and query them with SQL; NoSQL "
        "databases use flexible models such as documents or key-value pairs.",
        ["schema"],
    ),
    (
        "Explain what a deadlock is.",
        "A deadlock is when two or more threads each wait for a lock another one holds, so none can proceed.",
        ["lock"],
    ),
    (
        "What does `git cherry-pick` do?",
        "It applies the changes of one chosen commit onto your current branch as a new commit.",
        ["commit"],
    ),
    (
        "What is the difference between compiled and interpreted languages?",
        "A compiled language is translated to machine code before it runs, while an interpreted "
        "one is executed by another program as it goes.",
        ["machine code"],
    ),
    (
        "What is memoization?",
        "Memoization caches a function's results by its arguments so repeated calls reuse them; "
        "in Python, `functools.cache` does it.",
        ["caches"],
    ),
    (
        "Explain the difference between GET and POST requests.",
        "GET fetches a resource and should change nothing; POST sends data in the request body "
        "to create or change something.",
        ["body"],
    ),
    (
        "What does CORS stand for and why does it exist?",
        "Cross-Origin Resource Sharing: browsers stop scripts reading responses from another "
        "origin unless that server allows it with CORS headers.",
        ["Cross-Origin Resource Sharing"],
    ),
    (
        "What is the difference between a compile-time error and a runtime error?",
        "A compile-time error stops the program from building; a runtime error happens while "
        "it runs, such as dividing by zero.",
        ["runtime"],
    ),
    (
        "What is an off-by-one error?",
        "A bug where a loop or index goes one step too far or stops one step short, like "
        "writing `<=` where `<` was meant.",
        ["one step"],
    ),
    (
        "Explain what a hash map is in one sentence.",
        "A hash map stores key-value pairs and hashes each key to find its value in about O(1) time.",
        ["key"],
    ),
    (
        "What is the difference between a Python module and a package?",
        "A module is a single `.py` file; a package is a directory of modules, usually with an `__init__.py`.",
        ["directory"],
    ),
    (
        "What's the difference between `append` and `extend` on a Python list?",
        "`append` adds its argument as one element, while `extend` adds each item of an iterable.",
        ["extend"],
    ),
    (
        "What is the difference between `null` and `undefined` in JavaScript?",
        '`undefined` means a value was never assigned, while `null` is an explicit "no value" set on purpose.',
        ["never assigned"],
    ),
    (
        "What does the `static` keyword mean on a Java method?",
        "A static method belongs to the class itself, so you call it as `ClassName.method()` "
        "without an instance.",
        ["instance"],
    ),
    (
        "Explain what ownership means in Rust.",
        "Each value has exactly one owner and is dropped when that owner goes out of scope; "
        "borrowing lets other code use it without taking ownership.",
        ["owner"],
    ),
    (
        "What is a goroutine?",
        "A goroutine is a lightweight thread managed by the Go runtime, started with `go f()`.",
        ["go f()"],
    ),
    (
        "What is the difference between a primary key and a unique constraint?",
        "A table has one primary key, which is unique and never NULL, but it can have several "
        "unique constraints, which may allow NULL.",
        ["NULL"],
    ),
]

CLOSERS: list[tuple[str, str, list[str]]] = [
    (
        "Cheers, that worked perfectly.",
        "Glad it worked! Let me know if you need anything else.",
        ["Glad"],
    ),
    (
        "Never mind, I'll figure it out later.",
        "No problem, ask whenever you're ready.",
        ["No problem"],
    ),
    ("Hello!", "Hello! What are you working on today?", ["Hello"]),
    ("Thank you so much for your help today.", "You're welcome! Happy coding.", ["welcome"]),
    ("Great, I'm done. Goodbye!", "Goodbye, and good luck with the project!", ["Goodbye"]),
    ("Sorry, wrong window, ignore that.", "No worries, I'll ignore it.", ["No worries"]),
    (
        "Hey, quick check before we start: are you there?",
        "Yes, I'm here. What would you like to do?",
        ["here"],
    ),
    ("Perfect, that's exactly what I needed.", "Great, glad it helped!", ["glad"]),
    ("Good night!", "Good night! See you next time.", ["Good night"]),
]

ANSWERS: list[tuple[str, str, list[str]]] = [
    *SNIPPETS,
    *FUNCTIONS,
    *COMMANDS,
    *REGEXES,
    *CONCEPTS,
    *CLOSERS,
]
"""Every entry, in a fixed order: a family's id is its position here."""


def _family(i: int, request: str, answer: str, must: list[str]) -> Family:
    def build(rng: random.Random) -> Spec:
        def solve() -> Script:
            yield Answer(answer)

        return Spec(
            prompt=request,
            verify=[{"kind": "no_calls"}, {"kind": "answer_has", "texts": must}],
            solution=solve,
            functions=None,
        )

    # each entry is its own task: its own answer and check, not a rewording of another
    return Family(f"coding-answer-{i:03d}", CATEGORY, "abstain", build)


def families() -> list[Family]:
    return [_family(i, *entry) for i, entry in enumerate(ANSWERS)]
