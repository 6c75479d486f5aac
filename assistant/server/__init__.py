"""OpenAI- and Anthropic-compatible HTTP API over the llm/ backends (``assistant serve``).

``create_app(ServerState(Engine(model), ServerConfig()))`` builds the ASGI app; the
``serve`` command in ``server/cli.py`` runs it with uvicorn.
"""
