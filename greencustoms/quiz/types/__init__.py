"""Question types: the registry mapping a type name to the class that presents, reads and grades it."""

from . import arrangement, choice, values  # noqa: F401 - importing registers the types
from .base import REGISTRY, TEXT_LIMIT, InvalidAnswer, QuestionType, field_name, get_type, register
from .values import format_number, normalise_text, parse_number

__all__ = [
    "REGISTRY",
    "TEXT_LIMIT",
    "InvalidAnswer",
    "QuestionType",
    "field_name",
    "format_number",
    "get_type",
    "normalise_text",
    "parse_number",
    "register",
]
