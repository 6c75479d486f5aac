"""Noise on the input embeddings while training (NEFTune, Jain et al. 2023).

Each forward pass in training mode adds uniform noise in ±alpha/sqrt(length × width) to
the embeddings of its tokens, where length is the pass's sequence length and width the
embedding size — the scale transformers and TRL use (``neftune_noise_alpha``). With a
shared prompt prefix (``training.prefix``) the prefix pass and the rest are scaled by
their own lengths. Evaluation (``model.eval()``) runs without noise.
"""

from __future__ import annotations

import math
from typing import Any


def add_embedding_noise(model: Any, alpha: float) -> Any:
    """Register the noise on ``model``'s input embeddings; returns the hook's handle
    (``handle.remove()`` takes it off)."""

    def hook(module: Any, _inputs: Any, output: Any) -> Any:
        if not module.training:
            return output
        scale = alpha / math.sqrt(output.size(-2) * output.size(-1))
        return output + output.new_empty(output.shape).uniform_(-scale, scale)

    return model.get_input_embeddings().register_forward_hook(hook)
