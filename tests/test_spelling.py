"""The product writes US English: no British spelling in its pages, content, documents or code text.

Scanned: templates (their text, not the names of template variables), the content and demo
fixtures, the docs, the app's own stylesheets and scripts, and every string literal and comment
of the Python source. A hit names its file and line.
"""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# British forms and the US spelling each is written as here.
BRITISH = {
    r"optimis(?:e|ed|es|ing|ation)": "optimize",
    r"organis(?:e|ed|es|ing|ation|ations)": "organize",
    r"prioritis(?:e|ed|es|ing|ation)": "prioritize",
    r"recognis(?:e|ed|es|ing)": "recognize",
    r"summaris(?:e|ed|es|ing)": "summarize",
    r"minimis(?:e|ed|es|ing)": "minimize",
    r"authoris(?:e|ed|es|ing|ation|ations)": "authorize",
    r"analys(?:e|ed|es|ing)": "analyze",
    r"utilis(?:e|ed|es|ing|ation)": "utilize",
    r"behaviours?": "behavior",
    r"colours?": "color",
    r"favour(?:s|ed|ing|able|ite)?": "favor",
    r"honour(?:s|ed|ing)?": "honor",
    r"labour": "labor",
    r"centres?": "center",
    r"licences?": "license",
    r"programmes?": "program",
    r"catalogues?": "catalog",
    r"defences?": "defense",
    r"judgements?": "judgment",
    r"modelling": "modeling",
    r"travelled": "traveled",
    r"cancelled": "canceled",
    r"labell(?:ed|ing)": "labeled",
    r"counsell(?:or|ors|ing)": "counselor",
    r"enrol(?:s|ment|ments)?": "enroll",
    r"whilst": "while",
}
PATTERN = re.compile(r"\b(?:" + "|".join(BRITISH) + r")\b", re.IGNORECASE)

# Words that are identifiers, not prose, each with its reason.
ALLOWED = {
    # An option's value is stored in saved answers (decision 0001); its label reads "Summarizing".
    "summarising-public-docs",
}

TEXT_FILES = ("templates/**/*.html", "templates/**/*.txt", "fixtures/*.yaml", "docs/**/*.md")
TEXT_FILES += ("README.md", "static/css/*.css", "static/js/*.js")
PYTHON_DIRS = ("workbook", "strategy", "tests", "bench")
TEMPLATE_CODE = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


def british_words(text: str) -> list[str]:
    """The British spellings in `text`, allow-listed identifiers left out."""
    hits = []
    for match in PATTERN.finditer(text):
        start = text.rfind(" ", 0, match.start()) + 1
        end = min(
            (i for i in (text.find(c, match.end()) for c in " \n\"'),") if i >= 0),
            default=len(text),
        )
        if text[start:end].strip("\"'(:,") not in ALLOWED:
            hits.append(match.group(0))
    return hits


def text_lines(path: Path):
    """(line number, text) of a text file; a template's own code blanked, its lines kept."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".html", ".txt"):
        text = TEMPLATE_CODE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    yield from enumerate(text.splitlines(), start=1)


def python_text(path: Path):
    """(line number, text) of every string literal and comment of a Python file."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT, tokenize.FSTRING_MIDDLE):
            for offset, line in enumerate(token.string.splitlines()):
                yield token.start[0] + offset, line


def spelling_errors() -> list[str]:
    found = []
    files = [(p, text_lines) for pattern in TEXT_FILES for p in sorted(ROOT.glob(pattern))]
    for folder in PYTHON_DIRS:
        files += [(p, python_text) for p in sorted((ROOT / folder).rglob("*.py"))]
    for path, lines in files:
        if path == Path(__file__).resolve():
            continue
        found += [
            f"{path.relative_to(ROOT)}:{number}: {word}"
            for number, line in lines(path)
            for word in british_words(line)
        ]
    return found


def test_the_product_is_written_in_us_english():
    errors = spelling_errors()
    assert not errors, "British spelling (US English is used throughout):\n" + "\n".join(errors)


def test_the_scan_finds_british_spelling_and_leaves_identifiers_alone():
    assert british_words("We recognise the colour of the centre's licence.") == [
        "recognise",
        "colour",
        "centre",
        "licence",
    ]
    assert british_words("Optimistic locking: labelled-by aria-labelledby") == ["labelled"]
    assert british_words("value: summarising-public-docs") == []
    assert british_words("We recognize the color of the center's license.") == []
