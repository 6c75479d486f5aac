"""Local servers that speak cloud protocols, so tests use the official SDKs against 127.0.0.1.

``anthropic_server`` fakes Anthropic's Messages and Message Batches APIs; it is
the project's only mock (the cloud itself). OpenAI-compatible tests use a real
server instead (``python -m llama_cpp.server`` with the default GGUF model).
"""
