"""Widgets of the terminal app: transcript, messages, tool cards, approval, status bar, input."""

from assistant.ui.widgets.approval import ApprovalPrompt
from assistant.ui.widgets.input import CompletionHint, PromptInput
from assistant.ui.widgets.message import AssistantMessage, Notice, UserMessage
from assistant.ui.widgets.status import StatusBar
from assistant.ui.widgets.toolcard import ToolCard
from assistant.ui.widgets.transcript import Transcript

__all__ = [
    "ApprovalPrompt",
    "AssistantMessage",
    "CompletionHint",
    "Notice",
    "PromptInput",
    "StatusBar",
    "ToolCard",
    "Transcript",
    "UserMessage",
]
