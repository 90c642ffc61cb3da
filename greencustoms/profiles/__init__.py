"""Profile fields that administrators define (a staff number, a grade...) and the values people give them."""

from greencustoms.profiles.service import (
    MAX_FIELDS,
    MAX_VALUE,
    ExportedField,
    active_fields,
    all_fields,
    clean_values,
    define_field,
    erase_values,
    exported_fields,
    form_name,
    move_field,
    offered,
    set_active,
    store_values,
    update_field,
    values_of,
)

__all__ = [
    "MAX_FIELDS",
    "MAX_VALUE",
    "ExportedField",
    "active_fields",
    "all_fields",
    "clean_values",
    "define_field",
    "erase_values",
    "exported_fields",
    "form_name",
    "move_field",
    "offered",
    "set_active",
    "store_values",
    "update_field",
    "values_of",
]
