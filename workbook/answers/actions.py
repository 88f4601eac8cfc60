"""Changes of state. Views, the admin and commands all go through these functions."""

from collections.abc import Collection, Mapping
from functools import cache
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from workbook import sql
from workbook.answers.changes import announce_change
from workbook.answers.inventory import IDEAS_QUESTION, idea_rows
from workbook.answers.profile import KIND_QUESTION, POPULATION_QUESTION, sync_jurisdiction
from workbook.answers.rules import is_complete, is_empty, merge_changes
from workbook.content.cache import workbook_content
from workbook.models import (
    Answer,
    Jurisdiction,
    Question,
    Section,
    SectionProgress,
    SectionStatus,
    UseCase,
)
from workbook.security.access import Action, JurisdictionAccess
from workbook.workflow.actions import clean_reopen_reason, withdraw_approval


class StaleVersion(Exception):
    """Someone saved since this copy was loaded and the changes collide; nothing was written.

    `conflicts` are the slugs of the questions to decide and `theirs` the values stored now
    (both empty where the caller gave no answers to merge, as the screening does).
    """

    def __init__(
        self,
        current_version: int,
        conflicts: list[str] | None = None,
        theirs: dict[str, Any] | None = None,
    ):
        super().__init__(f"The section is now at version {current_version}.")
        self.current_version = current_version
        self.conflicts = conflicts or []
        self.theirs = theirs or {}


class SectionApproved(Exception):
    """The save would change an approved section and gave no reason to reopen it; nothing was
    written. The caller asks the person first (`progress` says who approved it and when)."""

    def __init__(self, progress: SectionProgress):
        self.progress = progress
        super().__init__(
            f"“{progress.section.title}” is approved. Reopen it for changes, saying why, "
            "before changing its answers."
        )


class StoredAnswer(NamedTuple):
    """One stored answer as a save needs it: its row and its value."""

    pk: int
    value: Any


def section_questions(jurisdiction: Jurisdiction, section: Section) -> dict[str, Question]:
    """The section's active questions by slug: the workbook's cached content (no query) for a
    section the team works through, else read."""
    cached = workbook_content(jurisdiction.workbook).questions.get(section.pk)
    if cached is not None:
        return {q.slug: q for q in cached}
    return {q.slug: q for q in Question.active.filter(section=section)}


def read_section_answers(
    jurisdiction: Jurisdiction, section: Section, questions: Mapping[str, Question]
) -> dict[str, StoredAnswer]:
    """The jurisdiction's stored answers to the section's `questions`, keyed by question slug
    (answers to retired questions are never shown, so a save ignores them too)."""
    slugs = {q.pk: slug for slug, q in questions.items()}
    rows = Answer.objects.filter(
        jurisdiction=jurisdiction, question__section=section, use_case__isnull=True
    ).values_list("id", "question_id", "value")
    return {slugs[q]: StoredAnswer(pk, value) for pk, q, value in rows if q in slugs}


def save_section(
    *,
    access: JurisdictionAccess,
    section: Section,
    values: Mapping[str, Any],
    expected_version: int,
    base: Mapping[str, str] | None = None,
    undecided: Collection[str] = (),
    reopen_reason: str = "",
    answers_read: Mapping[str, StoredAnswer] | None = None,
) -> SectionProgress:
    """Write one section's answers (valid or draft), merged with saves made since the page.

    `values` maps question slugs of this section to cleaned values; questions not in it are
    left alone. The version check is one atomic UPDATE of the section's progress. With `base`,
    the fingerprints of the values the page was built from, the save is a three-way merge
    (`merge_changes`): only what this person changed is written, and a stale version is no
    conflict unless someone else changed the same question. Without it, a stale version is a
    conflict on every question whose value differs.

    `answers_read` are the section's answers as this request read them, after the page at
    `expected_version` was built (the wizard's state). Every save of a section raises its
    version in the transaction that writes its answers, so when the version is still the
    page's, those are the stored answers and are not read again; otherwise they are read under
    the version's lock.

    An approved section holds: a save that would change its answers raises SectionApproved and
    writes nothing, unless it gives `reopen_reason`, which reopens the section (who, when, why,
    managers told) in the same transaction. A save that changes nothing (a step through the
    wizard) passes. Every writer of section answers comes here, so this is the one place
    where an approval can be undone by an edit.
    """
    access.require(Action.EDIT_ANSWERS)
    if reopen_reason:
        access.require(Action.REOPEN_SECTION)
        reopen_reason = clean_reopen_reason(reopen_reason)
    with transaction.atomic():
        progress = _save_section(
            access.user,
            access.jurisdiction,
            section,
            values,
            expected_version,
            base,
            undecided,
            reopen_reason,
            answers_read,
        )
        announce_change(access.jurisdiction)
    return progress


def _save_section(
    user,
    jurisdiction,
    section,
    values,
    expected_version,
    base,
    undecided,
    reopen_reason,
    answers_read,
) -> SectionProgress:
    progress, claimed = _claim_section(jurisdiction, section, expected_version)
    questions = section_questions(jurisdiction, section)
    if claimed and answers_read is not None:
        stored = dict(answers_read)
    else:
        stored = read_section_answers(jurisdiction, section, questions)
    values = _merged(values, stored, progress.version, claimed, base, undecided)
    changed = write_answers(user, jurisdiction, questions, stored, values)

    if changed and progress.status == SectionStatus.APPROVED:
        if not reopen_reason:
            # Rolls back the answers just written and the version taken.
            raise SectionApproved(progress)
        withdraw_approval(user, progress, reopen_reason)

    # `stored` now holds what the section's answers are after this save.
    current = {slug: answer.value for slug, answer in stored.items()}
    if changed and questions.keys() & {KIND_QUESTION, POPULATION_QUESTION}:
        sync_jurisdiction(jurisdiction, current)
    _update_status(progress, questions.values(), current)
    return progress


def _claim_section(
    jurisdiction: Jurisdiction, section: Section, expected_version: int
) -> tuple[SectionProgress, bool]:
    """Take the next version of the section's progress; the section's first save makes the row,
    at version 1 (taken from 0, the version of a section without one)."""
    key = {"jurisdiction_id": jurisdiction.pk, "section_id": section.pk}
    claim = _claim_version(SectionProgress, key, expected_version)
    if claim is None:
        try:
            with transaction.atomic():
                progress = SectionProgress.objects.create(
                    jurisdiction=jurisdiction, section=section, version=1
                )
            claim = progress, expected_version == 0
        except IntegrityError:
            # Someone else's first save made it just now: take the version after theirs.
            claim = _claim_version(SectionProgress, key, expected_version)
            if claim is None:  # deleted again at once: the jurisdiction is being deleted
                raise SectionProgress.DoesNotExist from None
    progress, claimed = claim
    # What the exceptions, the workflow and the caller read: no query for them.
    progress.jurisdiction, progress.section = jurisdiction, section
    return progress, claimed


def _claim_version[V: (SectionProgress, UseCase)](
    model: type[V], key: Mapping[str, int], expected_version: int
) -> tuple[V, bool] | None:
    """Take the next version of a section's progress or a use case, the row with these column
    values: (the row as it is now, claimed at the version read), or None without such a row.

    One UPDATE raises the version and returns the row: it is then locked until the transaction
    ends, and what it returns (the status an approval may just have changed) is current. The
    version was still the one read if it is now one more; if someone saved since, it was taken
    all the same, and the caller merges with their save.
    """
    claimed = sql.returned(
        model, _claim_statement(model, tuple(key)), [timezone.now(), *key.values()]
    )
    if not claimed:
        return None
    (row,) = claimed
    return row, row.version == expected_version + 1


@cache
def _claim_statement(model: type[Model], key: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    where = " AND ".join(f"{quote(column)} = %s" for column in key)
    version, updated_at = quote("version"), quote("updated_at")
    return (
        f"UPDATE {sql.table(model)} SET {version} = {version} + 1, {updated_at} = %s "  # noqa: S608 - names are the model's, values parameters
        f"WHERE {where} {sql.returning(model)}"
    )


def _merged(values, stored, version: int, claimed: bool, base, undecided) -> Mapping[str, Any]:
    """What a save may write (answers.merge_changes); StaleVersion where two changes collide.

    Without a base and at the version it was read at, everything is written as it was sent.
    """
    if base is None and claimed:
        return values
    theirs = {slug: answer.value for slug, answer in stored.items()}
    merge = merge_changes(values, base or {}, theirs, undecided)
    if merge.conflicts:
        # Rolls the version back with the rest of the transaction.
        raise StaleVersion(version - 1, merge.conflicts, theirs)
    return merge.apply


def write_answers(user, jurisdiction, questions, stored, values, use_case=None) -> int:
    """Create, update and delete answers in a fixed number of queries; returns how many changed.

    `questions` and `stored` (StoredAnswer) are keyed by question slug; `stored` is updated in
    place. Each change is recorded in the answer history, all in one INSERT. Callers hold the
    version lock of what they save (a section, or one use case's screening).
    """
    now = timezone.now()
    to_create: list[Answer] = []
    to_update: list[Answer] = []
    to_delete: list[int] = []
    for slug, value in values.items():
        question = questions.get(slug)
        if question is None:
            continue
        answer = stored.get(slug)
        if is_empty(value):
            if answer is not None:
                to_delete.append(answer.pk)
                del stored[slug]
            continue
        if answer is not None and answer.value == value:
            continue
        row = Answer(
            pk=answer.pk if answer is not None else None,
            jurisdiction=jurisdiction,
            use_case=use_case,
            question=question,
            value=value,
            updated_by=user,
            updated_at=now,
        )
        (to_create if answer is None else to_update).append(row)
    history: list[tuple[str, Answer]] = []
    # Sent together at the end: the changed answer and the history, in one round trip.
    writes: list[sql.Statement] = []
    if to_create:
        Answer.objects.bulk_create(to_create)
        history += [("+", answer) for answer in to_create]
    if len(to_update) == 1:
        # The usual autosave: one answer changed. A plain UPDATE costs a fraction of the Python
        # of bulk_update, which builds a CASE over the rows for each field.
        (answer,) = to_update
        changed = {"value": answer.value, "updated_by_id": user.pk, "updated_at": now}
        writes.append(sql.updating(Answer, answer.pk, changed))
    elif to_update:
        Answer.objects.bulk_update(to_update, ["value", "updated_by", "updated_at"])
    history += [("~", answer) for answer in to_update]
    for answer in to_create + to_update:
        stored[answer.question.slug] = StoredAnswer(answer.pk, answer.value)
    if to_delete:
        history += [("-", answer) for answer in _delete_answers(to_delete)]
    if history:
        writes.append(_history_rows(user, now, history))
        sql.write_together(*writes)
    return len(history)


def _delete_answers(ids: list[int]) -> list[Answer]:
    """Delete answers in one statement, returning them as they were (for their history).

    Model.delete() would cost a DELETE and a history INSERT per answer (simple-history writes the
    record in a post_delete signal); a save takes the same number of queries however many
    answers it clears.
    """
    placeholders = ", ".join(["%s"] * len(ids))
    return sql.returned(
        Answer,
        f"DELETE FROM {sql.table(Answer)} WHERE {sql.column(Answer, 'id')} IN ({placeholders}) "  # noqa: S608 - ids are parameters
        f"{sql.returning(Answer)}",
        ids,
    )


@cache
def _history_model() -> Any:
    # `Answer.history` builds a new manager class on every access; the model behind it is one.
    return Answer.history.model


def _history_rows(user, now, changes: list[tuple[str, Answer]]) -> sql.Statement:
    """The answer history of one save's changes, (history type, answer as written or deleted),
    as one INSERT: the rows simple-history itself would write, by the saving user at `now`."""
    history = _history_model()
    return sql.inserting(
        history,
        [
            history(
                history_date=now,
                history_user=user,
                history_type=history_type,
                **{f.attname: getattr(answer, f.attname) for f in history.tracked_fields},
            )
            for history_type, answer in changes
        ],
    )


def _update_status(progress, questions, answers) -> None:
    """The section's status from its answers, written only when it changes (the version's
    claim has already marked the progress updated)."""
    if progress.status == SectionStatus.APPROVED:
        return  # unchanged answers (_save_section reopens a section before changing it)
    if is_complete(questions, answers):
        status = SectionStatus.COMPLETE
    elif any(not is_empty(v) for v in answers.values()):
        status = SectionStatus.IN_PROGRESS
    else:
        status = SectionStatus.NOT_STARTED
    if status != progress.status:
        progress.status = status
        SectionProgress.objects.filter(pk=progress.pk).update(status=status)


def save_use_case(
    *, access: JurisdictionAccess, use_case: UseCase | None, fields: Mapping[str, Any]
) -> UseCase:
    """Create a use case in the member's jurisdiction, or update one of its own.

    Each use exists once in the register: a name another entry has (in any case) is refused with
    a ValidationError on "name", and nothing is stored."""
    access.require(Action.EDIT_ANSWERS)
    if use_case is None:
        use_case = UseCase(jurisdiction=access.jurisdiction)
    elif use_case.jurisdiction_id != access.jurisdiction.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(use_case, name, value)
    duplicate = ValidationError(
        {
            "name": f"The register already has a use named “{use_case.name}”. Edit that entry "
            "instead, or give this one a name that tells them apart."
        }
    )
    same_name = UseCase.objects.filter(
        jurisdiction=access.jurisdiction, name__iexact=use_case.name
    ).exclude(pk=use_case.pk)
    if same_name.exists():
        raise duplicate
    try:
        with transaction.atomic():
            use_case.save()
            announce_change(access.jurisdiction)
    except IntegrityError as error:
        # Two people adding the same name at once: the unique constraint refuses the second.
        if "usecase_unique_name" in str(error):
            raise duplicate from error
        raise
    return use_case


def propose_from_idea(*, access: JurisdictionAccess, row: int) -> UseCase:
    """Enter one idea of the section 4 ideas table in the register, at the stage "proposed".

    The idea is read from the stored table by its row, never from posted text; a row that is
    not there is refused with a ValidationError, as is a name the register already has."""
    access.require(Action.EDIT_ANSWERS)
    stored = (
        Answer.objects.filter(
            jurisdiction=access.jurisdiction,
            question__slug=IDEAS_QUESTION,
            use_case__isnull=True,
        )
        .values_list("value", flat=True)
        .first()
    )
    rows = idea_rows(stored)
    if not 0 <= row < len(rows):
        raise ValidationError("That idea is no longer in the ideas table.")
    idea = rows[row]
    return save_use_case(
        access=access,
        use_case=None,
        fields={
            "name": str(idea["problem"]).strip()[:200],
            "purpose": str(idea.get("benefit") or "").strip(),
            "stage": UseCase.Stage.PROPOSED,
        },
    )


def retire_use_case(*, access: JurisdictionAccess, use_case: UseCase) -> UseCase:
    """Retire a use: it stays in the register, as history, at the stage "retired"."""
    access.require(Action.EDIT_ANSWERS)
    if use_case.jurisdiction_id != access.jurisdiction.pk:
        raise PermissionDenied
    use_case.stage = UseCase.Stage.RETIRED
    use_case.save(update_fields=["stage", "updated_at"])
    announce_change(access.jurisdiction)
    return use_case


def save_screening(
    *,
    access: JurisdictionAccess,
    use_case: UseCase,
    values: Mapping[str, Any],
    expected_version: int,
    base: Mapping[str, str] | None = None,
    undecided: Collection[str] = (),
) -> UseCase:
    """Write one use case's screening answers, merged like a section's (see save_section)."""
    access.require(Action.EDIT_ANSWERS)
    if use_case.jurisdiction_id != access.jurisdiction.pk:
        raise PermissionDenied
    with transaction.atomic():
        claim = _claim_version(UseCase, {"id": use_case.pk}, expected_version)
        if claim is None:
            raise UseCase.DoesNotExist("The use case was deleted.")
        claimed_row, claimed = claim
        claimed_row.jurisdiction = use_case.jurisdiction
        use_case = claimed_row
        questions = {
            q.slug: q
            for q in Question.active.filter(
                section__workbook=use_case.jurisdiction.workbook_id,
                section__scope=Section.Scope.USE_CASE,
                section__retired_at__isnull=True,
            )
        }
        stored = {
            slug: StoredAnswer(pk, value)
            for pk, slug, value in Answer.objects.filter(use_case=use_case).values_list(
                "id", "question__slug", "value"
            )
        }
        values = _merged(values, stored, use_case.version, claimed, base, undecided)
        write_answers(access.user, use_case.jurisdiction, questions, stored, values, use_case)
        announce_change(access.jurisdiction)
    return use_case
