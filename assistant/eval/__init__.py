"""``assistant eval``: tool-calling accuracy on cases, and agentic coding on tasks.

``checker`` grades one model reply against a case, ``tools`` runs cases through a
backend, ``agent`` runs tasks through the agent loop and sandbox, ``report`` prints
tables, compares result files and draws plots, ``cli`` is the command group.
"""
