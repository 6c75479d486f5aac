"""Split a shell command into the simple commands it runs, or refuse to.

Allow rules for ``run_shell`` match each simple command, never the raw text: ``git status``
allowed must not allow ``git status; curl … | sh``.  The structure comes from ``bashlex``
(a port of bash's own grammar); anything whose effect a rule cannot see is refused:
command and process substitution, backticks, parameter and tilde expansion, arithmetic,
here-documents and here-strings, newlines, variable assignments, functions, subshells
and other compound commands, and redirections other than to ``/dev/null`` or between
file descriptors.  A refused command never matches a rule; the user is asked.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

import bashlex
import bashlex.ast
import bashlex.errors

_RAW_REFUSED = (
    ("\n", "a newline"),
    ("\r", "a carriage return"),
    ("`", "backticks"),
    ("$(", "command substitution"),
    ("<(", "process substitution"),
    (">(", "process substitution"),
    ("<<", "a here-document or here-string"),
)
_OPERATORS = {";", "&&", "||", "&"}
_PIPES = {"|", "|&"}
_PART_NAMES = {
    "commandsubstitution": "command substitution",
    "processsubstitution": "process substitution",
    "parameter": "a variable expansion",
    "tilde": "tilde expansion",
}


@dataclass
class ParsedCommand:
    commands: list[str] = field(default_factory=list)
    """Each simple command in a canonical form (words shell-quoted, redirections kept)."""
    sources: list[str] = field(default_factory=list)
    """The same simple commands as written."""
    refused: str | None = None
    """Why the command cannot be matched against rules (None when it can)."""

    @property
    def ok(self) -> bool:
        return self.refused is None


class _Refuse(Exception):
    pass


def _redirect(node: Any, src: str) -> str:
    target = node.output
    fd_dup = isinstance(target, int) and node.type in (">&", "<&")
    devnull = (
        getattr(target, "kind", "") == "word"
        and target.word == "/dev/null"
        and node.type in (">", ">>", "&>", "<", ">|")
    )
    if not (fd_dup or devnull):
        raise _Refuse("a redirection to a file")
    return re.sub(r"\s+", "", src[node.pos[0] : node.pos[1]])


def _word(node: Any, src: str) -> str:
    for part in getattr(node, "parts", []) or []:
        raise _Refuse(_PART_NAMES.get(part.kind, f"a {part.kind} expansion"))
    text = src[node.pos[0] : node.pos[1]]
    try:
        words = shlex.split(text)
    except ValueError:
        raise _Refuse("quoting it cannot follow") from None
    if len(words) != 1:
        raise _Refuse("quoting it cannot follow")
    if _has_unquoted_pattern(text):
        # The shell expands it (rm -rf *): kept as written, so it never reads the same as
        # the quoted word (rm -rf '*', one file named *), nor a rule for one the other.
        if any(c in text for c in _QUOTING):
            raise _Refuse("a glob or brace pattern mixed with quoting")
        return text
    return shlex.quote(words[0])


_QUOTING = "'\"\\"
_PATTERN = set("*?[]{}")


def _has_unquoted_pattern(text: str) -> bool:
    """Whether ``text`` holds a glob or brace character outside quotes and escapes."""
    quote = ""
    escaped = False
    for c in text:
        if escaped:
            escaped = False
        elif c == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in _PATTERN:
            return True
    return False


def _simple(node: Any, src: str, out: ParsedCommand) -> None:
    if node.parts and node.parts[0].kind == "assignment":
        raise _Refuse("a variable assignment")
    if not node.parts or node.parts[0].kind != "word":
        raise _Refuse("a command that does not start with its name")
    pieces: list[str] = []
    for part in node.parts:
        if part.kind == "word":
            pieces.append(_word(part, src))
        elif part.kind == "redirect":
            pieces.append(_redirect(part, src))
        elif part.kind == "assignment":
            raise _Refuse("a variable assignment")
        else:
            raise _Refuse(f"a {part.kind}")
    out.commands.append(" ".join(pieces))
    out.sources.append(src[node.pos[0] : node.pos[1]])


def _walk(node: Any, src: str, out: ParsedCommand) -> None:
    kind = node.kind
    if kind == "command":
        _simple(node, src, out)
    elif kind in ("list", "pipeline"):
        for part in node.parts:
            if part.kind == "operator":
                if part.op not in _OPERATORS:
                    raise _Refuse(f"the operator {part.op!r}")
            elif part.kind == "pipe":
                if part.pipe not in _PIPES:
                    raise _Refuse(f"the pipe {part.pipe!r}")
            elif part.kind == "reservedword" and part.word == "!":
                continue
            else:
                _walk(part, src, out)
    else:
        raise _Refuse({"compound": "a subshell or command group"}.get(kind, f"a {kind}"))


def parse_command(command: str) -> ParsedCommand:
    """The simple commands in ``command``, or why it cannot be split safely."""
    out = ParsedCommand()
    for needle, what in _RAW_REFUSED:
        if needle in command:
            return ParsedCommand(refused=f"it contains {what}")
    if not command.strip():
        return ParsedCommand(refused="it is empty")
    try:
        trees = bashlex.parse(command)
        for tree in trees:
            _walk(tree, command, out)
    except _Refuse as exc:
        return ParsedCommand(refused=f"it contains {exc}")
    except (bashlex.errors.ParsingError, NotImplementedError, AttributeError, IndexError):
        return ParsedCommand(refused="the shell parser cannot read it")
    except Exception:  # bashlex raises assorted errors on unusual syntax
        return ParsedCommand(refused="the shell parser cannot read it")
    if not out.commands:
        return ParsedCommand(refused="it runs nothing")
    return out


def glob_escape(text: str) -> str:
    """``text`` as an fnmatch pattern that matches only itself."""
    return re.sub(r"([*?\[])", r"[\1]", text)
