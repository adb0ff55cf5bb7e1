"""Wrong codes and characters for dirty rows, kept apart so no clean row can draw one by accident."""

from __future__ import annotations

#: Values that look like codes but are not ISO-3166 (UK is only "exceptionally reserved"; GB is the code).
INVALID_COUNTRIES: tuple[str, ...] = ("XX", "UK", "ZZ", "EN")

#: Per country, state codes users really type that are not ISO-3166-2 subdivisions of that country.
INVALID_STATES: dict[str, tuple[str, ...]] = {
    "US": ("ZZ", "TX.", "Calif", "ON", "QQ"),
    "CA": ("PQ", "NF", "ZZ"),  # pre-ISO abbreviations of Québec and Newfoundland
    "MX": ("DF", "NL", "ZZ"),  # Distrito Federal (now CMX); two-letter Nuevo León
}

#: Control characters planted in dirty names, always mid-string so trimming cannot remove them.
CONTROL_SNIPPETS: tuple[str, ...] = ("\x07", "\x1b[0m", "\x08", "\x7f", "\x0b", "\x1b")
