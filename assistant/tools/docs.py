"""docs: offline API documentation from the workspace's own Python environment.

A small introspection script runs **in the session's sandbox**, like every other program
from the workspace, under the workspace's interpreter (``.venv/bin/python`` when it runs
there, else ``python3``) in isolated mode (``-I``: the workspace directory is not on
``sys.path``, so the project's own modules are not imported by name). It resolves dotted
names (``json.dumps``, ``pathlib.Path.read_text``) or searches public names, and prints
signatures with the start of each docstring. Importing an installed package runs its
code, which is why this never happens on the host.
"""

from __future__ import annotations

import shlex

from assistant.tools.base import Tool, ToolContext, ToolError, ToolResult, tool
from assistant.tools.exec import sandbox_for
from assistant.tools.sandbox.base import SandboxError

DOCS_TIMEOUT_S = 30.0
MAX_OUTPUT_CHARS = 12_000

# Runs inside the workspace interpreter: stdlib only, Python 3.8+ syntax.
INTROSPECT = r"""
import importlib, inspect, io, os, pkgutil, sys, time
query, module, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
real_stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="replace")
sys.stdout = sys.stderr  # imports that print must not pollute the answer
SKIP = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "test", "tests",
        "lib2to3", "pydoc_data", "ensurepip", "venv", "__main__", "__phello__", "_pyrepl",
        "setup", "conftest", "distutils", "xxsubtype", "xxlimited", "pip", "setuptools", "pkg_resources"}
out = []

def emit(s):
    out.append(s)

def sig(obj, name):
    try:
        return name + str(inspect.signature(obj))
    except (TypeError, ValueError):
        return name + ("(...)" if callable(obj) else "")

def kind(obj):
    if inspect.ismodule(obj): return "module"
    if inspect.isclass(obj): return "class"
    if callable(obj): return "function"
    return type(obj).__name__

def doc(obj, n):
    d = inspect.getdoc(obj) or ""
    if inspect.ismodule(obj) or not d:
        d = d or ""
    d = d.strip()
    if len(d) > n:
        d = d[:n].rstrip() + " ..."
    return d

def describe(obj, name, full):
    k = kind(obj)
    head = name if k == "module" else sig(obj, name)
    if k == "class":
        head = "class " + head
    elif k not in ("module", "function"):
        head = name + ": " + k + " = " + repr(obj)[:80]
    d = doc(obj, 3000 if full else 300)
    text = head + (("\n" + "\n".join("    " + l for l in d.splitlines())) if d else "")
    return text

def safe_import(name):
    if name.split(".")[0] in SKIP:
        return None
    try:
        return importlib.import_module(name)
    except BaseException:
        return None

def resolve(dotted):
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        mod = safe_import(".".join(parts[:i]))
        if mod is None:
            continue
        obj = mod
        try:
            for p in parts[i:]:
                obj = getattr(obj, p)
        except AttributeError:
            continue
        return obj
    return None

def members(obj):
    try:
        names = dir(obj)
    except Exception:
        return []
    pub = getattr(obj, "__all__", None) if inspect.ismodule(obj) else None
    res = []
    for n in names:
        if n.startswith("_") or (pub is not None and n not in pub):
            continue
        try:
            v = getattr(obj, n)
        except Exception:
            continue
        if inspect.ismodule(obj) and inspect.ismodule(v):
            continue
        if inspect.ismodule(obj) and getattr(v, "__module__", None) not in (None, obj.__name__) \
                and not (getattr(v, "__module__", "") or "").startswith(obj.__name__ + ".") \
                and pub is None:
            continue  # imported from elsewhere
        res.append((n, v))
    return res

target = resolve(query) if query and " " not in query and not module else None
if module:
    mod = safe_import(module)
    if mod is None:
        print("ERROR: cannot import module " + module, file=real_stdout)
        real_stdout.flush()
        sys.exit(0)
    hit = resolve(module + "." + query) if query else None
    if query and hit is not None:
        target, query = hit, module + "." + query
    elif not query:
        target, query = mod, module

if target is not None:
    emit(describe(target, query, True))
    if inspect.ismodule(target) or inspect.isclass(target):
        ms = members(target)
        if ms:
            emit("\nMembers:")
            for n, v in ms[:60]:
                first = (doc(v, 120).splitlines() or [""])[0]
                emit("  " + (sig(v, n) if callable(v) else n) + ("  - " + first if first else ""))
            if len(ms) > 60:
                emit("  ... %d more" % (len(ms) - 60))
else:
    q = query.lower().split(".")[-1]
    found = []
    seen = set()
    deadline = time.time() + 8.0
    if module:
        pool = [module]
        mod = safe_import(module)
        if mod is not None and hasattr(mod, "__path__"):
            for info in pkgutil.walk_packages(mod.__path__, module + "."):
                if len(pool) > 200: break
                if any(part.startswith("_") for part in info.name.split(".")[1:]): continue
                pool.append(info.name)
    else:
        # Names of every importable top-level module match without importing them;
        # attributes are searched in the standard library only (importing every
        # installed package is slow and runs their code). Use module= for a package.
        stdlib = sorted(getattr(sys, "stdlib_module_names", ()))
        others = sorted(m.name for m in pkgutil.iter_modules())
        for m in stdlib + others:
            if m.startswith("_") or m in SKIP:
                continue
            if q in m.lower() and m not in seen:
                seen.add(m)
                found.append((0 if m.lower() == q else 1, m, None))
        pool = [m for m in stdlib if not m.startswith("_") and m not in SKIP]
    for modname in pool:
        if time.time() > deadline or len(found) >= limit * 3:
            break
        mod = safe_import(modname)
        if mod is None:
            continue
        for n, v in members(mod):
            full = modname + "." + n
            if q in n.lower() and full not in seen:
                seen.add(full)
                found.append((0 if n.lower() == q else 1, full, v))
            if inspect.isclass(v) and (module or q in n.lower() or len(q) > 3):
                for mn, mv in members(v):
                    fn = full + "." + mn
                    if q in mn.lower() and fn not in seen and (module or mn.lower() == q):
                        seen.add(fn)
                        found.append((0 if mn.lower() == q else 2, fn, mv))
    found.sort(key=lambda t: (t[0], t[1].count("."), t[1]))
    if not found:
        emit("NOTHING")
    for rank, name, obj in found[:limit]:
        if obj is None:
            emit(name + " (module)")
        else:
            emit(describe(obj, name, False))
        emit("")
    if len(found) > limit:
        emit("... %d more matches; give a fuller name like module.name" % (len(found) - limit))
print("\n".join(out), file=real_stdout)
real_stdout.flush()
"""


# Picks the workspace venv's interpreter when it runs in the sandbox, else python3.
_PICK_PYTHON = (
    "__py=python3; for __c in .venv/bin/python venv/bin/python; do "
    '[ -x "$__c" ] && "$__c" -c "" 2>/dev/null && { __py=$__c; break; }; done'
)


def docs_command(workdir: str, query: str, module: str | None, limit: int = 15) -> str:
    """The shell command (run in the sandbox) that prints the documentation."""
    args = " ".join(shlex.quote(a) for a in (INTROSPECT, query, module or "", str(limit)))
    return (
        f"( cd -- {shlex.quote(workdir)} && {_PICK_PYTHON}; "
        f'echo "PYTHON: $__py"; "$__py" -I -B -c {args} 2>/dev/null )'
    )


@tool(read_only=True, runs_in_sandbox=True)
async def docs(ctx: ToolContext, query: str, module: str | None = None) -> ToolResult:
    """Look up Python documentation offline: signatures and docstrings of installed modules.

    Args:
        query: A full name such as json.dumps or pathlib.Path.read_text, or a word to search for.
        module: Search inside this module or package, such as os.path or requests.
    """
    query = query.strip()
    if not query and not module:
        raise ToolError("query is empty; give a name such as json.dumps.")
    sandbox = await sandbox_for(ctx)
    workdir = getattr(sandbox, "workdir", None) or str(ctx.workspace)
    try:
        res = await sandbox.exec(docs_command(workdir, query, module), timeout=DOCS_TIMEOUT_S)
    except SandboxError as exc:
        raise ToolError(str(exc)) from None
    if res.timed_out:
        raise ToolError(
            f"docs lookup for {query!r} took over {DOCS_TIMEOUT_S:g}s; give a fuller name."
        )
    _, _, answer = res.output.partition("PYTHON: ")
    python, _, text = answer.partition("\n")
    python, text = python.strip() or "python3", text.strip()
    if text.startswith("ERROR: "):
        raise ToolError(text[len("ERROR: ") :] + "; check the module name (is it installed?).")
    if not text or text == "NOTHING":
        where = f" in {module}" if module else ""
        raise ToolError(f"No documentation found for {query!r}{where} in {python}.")
    if len(text) > MAX_OUTPUT_CHARS:
        text = text[:MAX_OUTPUT_CHARS] + "\n[output cut; ask for a more specific name]"
    return ToolResult(text, meta={"python": python})


DOCS_TOOLS: list[Tool] = [docs]
