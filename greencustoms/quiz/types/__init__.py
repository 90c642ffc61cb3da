"""Question types: the registry mapping a type name to the module that owns everything about it.

Importing a type module registers it; the order below is the order authors see in messages.
"""

from . import choice, truefalse, values, arrangement, document_check, hotspot, code_entry, scenario  # noqa: F401, I001
from .base import REGISTRY, TEXT_LIMIT, Builder, InvalidAnswer, QuestionType, field_name, get_type, register
from .values import format_number, normalise_text, parse_number

__all__ = [
    "REGISTRY",
    "TEXT_LIMIT",
    "Builder",
    "InvalidAnswer",
    "QuestionType",
    "field_name",
    "format_number",
    "get_type",
    "normalise_text",
    "parse_number",
    "register",
]
