"""Fine-tune the local model on dataset records and bring it back as a GGUF.

``data`` renders records with :mod:`assistant.llm.toolformat` into token ids and a loss
mask, ``train`` runs the loop, ``export`` merges, writes and quantizes a GGUF (or a
llama.cpp LoRA GGUF, or HF safetensors) and validates it against transformers.
"""
