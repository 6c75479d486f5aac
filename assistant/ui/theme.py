"""The Pygments theme both front ends colour code, commands and diffs with."""

CODE_THEME = "monokai"
