"""Fine-tune the local model on dataset records and bring it back as a GGUF.

``data`` renders records with :mod:`assistant.llm.toolformat` into token ids and a loss
mask, ``train`` runs the loop, ``export`` merges, writes and quantizes a GGUF (or a
llama.cpp LoRA GGUF, or HF safetensors) and validates it against transformers.
"""

import importlib.util

TRAIN_EXTRA = ("torch", "transformers", "peft")
"""What training, the merge and the validation of any export need (the train extra)."""
INSTALL_TRAIN_EXTRA = (
    "install the training extra from the repository root with `pip install -e '.[train]'`"
)


def missing_train_extra() -> list[str]:
    """The packages of the train extra this environment lacks."""
    return [m for m in TRAIN_EXTRA if importlib.util.find_spec(m) is None]
