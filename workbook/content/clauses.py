"""The placeholder syntax of the clauses in the content file, shared by the loader and documents.

A clause is the sentence an answer puts into the finished documents, written as policy. It may
name the jurisdiction and quote other answers:

- `{jurisdiction}`: the name as it reads inside a sentence ("the City of Riverton");
- `{Jurisdiction}`: the same at the start of a sentence ("The City of Riverton");
- `{answer:<question-slug>}`: another answer as text, e.g. `{answer:gov-ai-lead}`.

A literal brace is written `{{` or `}}`.
"""

import re
from collections.abc import Callable, Iterator

NAME_PLACEHOLDERS = frozenset({"jurisdiction", "Jurisdiction"})
ANSWER_PREFIX = "answer:"
PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


class ClauseError(ValueError):
    """A clause uses a placeholder the documents cannot fill."""


def placeholders(template: str) -> Iterator[str]:
    """Every placeholder name in the template, in order; a stray brace is an error."""
    leftover = PLACEHOLDER_RE.sub("", template)
    if "{" in leftover or "}" in leftover:
        raise ClauseError("has an unmatched brace (write {{ or }} for a literal one)")
    for match in PLACEHOLDER_RE.finditer(template):
        if match.group(1) is not None:
            yield match.group(1)


def check_clause(template: str, question_slugs: set[str]) -> None:
    """Raise ClauseError naming the first placeholder the documents could not fill."""
    for name in placeholders(template):
        if name in NAME_PLACEHOLDERS:
            continue
        if name.startswith(ANSWER_PREFIX) and name[len(ANSWER_PREFIX) :] in question_slugs:
            continue
        if name.startswith(ANSWER_PREFIX):
            raise ClauseError(f"quotes '{name}', but there is no such question")
        raise ClauseError(
            f"has unknown placeholder '{{{name}}}' (use {{jurisdiction}}, {{Jurisdiction}} "
            "or {answer:<question-slug>})"
        )


def fill_clause(template: str, name: str, answer: Callable[[str], str]) -> str:
    """The clause with its placeholders filled; `name` reads "the City of Riverton"."""

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        key = match.group(1)
        if key == "jurisdiction":
            return name
        if key == "Jurisdiction":
            return name[:1].upper() + name[1:]
        return answer(key[len(ANSWER_PREFIX) :])

    return PLACEHOLDER_RE.sub(replace, template)
