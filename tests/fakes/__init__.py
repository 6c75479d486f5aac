"""Local servers that speak cloud protocols, so tests use the official SDKs against 127.0.0.1.

These stand in for the cloud itself and nothing else:

- ``anthropic_server`` speaks Anthropic's Messages and Message Batches APIs;
- ``openai_batch_server`` speaks the OpenAI Files and Batch APIs (plus chat
  completions) that ``assistant distill --batch`` uses.

OpenAI-compatible chat tests use a real server instead (``python -m llama_cpp.server``
with the default GGUF model).
"""
