"""CSV cells that a spreadsheet opens as text, never as a formula."""

# Spreadsheets run a cell starting with one of these as a formula; answers are user text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text
