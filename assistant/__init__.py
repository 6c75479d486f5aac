"""assistant: a terminal coding agent on a small local model, with its own distillation pipeline."""

__version__ = "0.1.0"
