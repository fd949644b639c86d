"""Calendar planning: logistics, clashes and climate metrics of a season calendar, and calendar search."""
