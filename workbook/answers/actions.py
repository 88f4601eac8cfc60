"""Changes of state. Views, the admin and commands all go through these functions."""

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from workbook.answers.changes import announce_change
from workbook.answers.inventory import IDEAS_QUESTION, idea_rows
from workbook.answers.profile import KIND_QUESTION, POPULATION_QUESTION, sync_jurisdiction
from workbook.answers.rules import is_complete, is_empty, merge_changes
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


def section_answers(jurisdiction: Jurisdiction, section: Section) -> dict[str, Answer]:
    """The jurisdiction's stored answers to one section, keyed by question slug."""
    answers = Answer.objects.filter(
        jurisdiction=jurisdiction, question__section=section, use_case__isnull=True
    ).select_related("question")
    return {a.question.slug: a for a in answers}


def save_section(
    *,
    access: JurisdictionAccess,
    section: Section,
    values: Mapping[str, Any],
    expected_version: int,
    base: Mapping[str, str] | None = None,
    undecided: Collection[str] = (),
    reopen_reason: str = "",
) -> SectionProgress:
    """Write one section's answers (valid or draft), merged with saves made since the page.

    `values` maps question slugs of this section to cleaned values; questions not in it are
    left alone. The version check is one atomic UPDATE … WHERE version = n. With `base`, the
    fingerprints of the values the page was built from, the save is a three-way merge
    (`merge_changes`): only what this person changed is written, and a stale version is no
    conflict unless someone else changed the same question. Without it, a stale version is a
    conflict on every question whose value differs.

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
        )
        announce_change(access.jurisdiction)
    return progress


def _save_section(
    user, jurisdiction, section, values, expected_version, base, undecided, reopen_reason
) -> SectionProgress:
    progress, _ = SectionProgress.objects.get_or_create(jurisdiction=jurisdiction, section=section)
    progress, claimed = _claim_version(progress, expected_version)
    questions = {q.slug: q for q in Question.active.filter(section=section)}
    stored = section_answers(jurisdiction, section)
    values = _merged(values, stored, progress.version, claimed, base, undecided)
    changed = write_answers(user, jurisdiction, questions, stored, values)

    if changed and progress.status == SectionStatus.APPROVED:
        if not reopen_reason:
            # Rolls back the answers just written and the version taken.
            raise SectionApproved(progress)
        withdraw_approval(user, progress, reopen_reason)

    current = {slug: a.value for slug, a in stored.items()}
    for slug in values.keys() & questions.keys():
        current[slug] = None if is_empty(values[slug]) else values[slug]
    if changed and questions.keys() & {KIND_QUESTION, POPULATION_QUESTION}:
        sync_jurisdiction(jurisdiction, current)
    _update_status(progress, questions.values(), current)
    return progress


def _claim_version[V: (SectionProgress, UseCase)](
    row: V, expected_version: int, **also: Any
) -> tuple[V, bool]:
    """Take the next version of a section's progress or a use case: (the row, claimed as read).

    The check is one atomic UPDATE … WHERE version = n. If someone saved since, the row is locked
    and read again, and its version taken all the same: the caller then merges with their save.
    """
    model = type(row)
    claimed = bool(
        model.objects.filter(pk=row.pk, version=expected_version).update(
            version=F("version") + 1, **also
        )
    )
    if claimed:
        row.version = expected_version + 1
        return row, True
    row = model.objects.select_for_update().get(pk=row.pk)
    model.objects.filter(pk=row.pk).update(version=F("version") + 1, **also)
    row.version += 1
    return row, False


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

    `questions` and `stored` (answers) are keyed by question slug; `stored` is updated in place.
    Callers hold the version lock of what they save (a section, or one use case's screening).
    """
    now = timezone.now()
    to_create, to_update, to_delete = [], [], []
    for slug, value in values.items():
        question = questions.get(slug)
        if question is None:
            continue
        answer = stored.get(slug)
        if is_empty(value):
            if answer is not None:
                to_delete.append(answer)
        elif answer is None:
            to_create.append(
                Answer(
                    jurisdiction=jurisdiction,
                    use_case=use_case,
                    question=question,
                    value=value,
                    updated_by=user,
                    updated_at=now,
                )
            )
        elif answer.value != value:
            answer.value, answer.updated_by, answer.updated_at = value, user, now
            to_update.append(answer)
    if to_create:
        created = bulk_create_with_history(to_create, Answer, default_user=user, default_date=now)
        for answer in created:
            stored[answer.question.slug] = answer
    if to_update:
        bulk_update_with_history(
            to_update,
            Answer,
            ["value", "updated_by", "updated_at"],
            default_user=user,
            default_date=now,
        )
    if to_delete:
        _delete_with_history(user, to_delete, now)
        for slug in [s for s, a in stored.items() if a in to_delete]:
            del stored[slug]
    return len(to_create) + len(to_update) + len(to_delete)


def _delete_with_history(user, answers: list[Answer], now) -> None:
    """Delete answers in two statements, recording each deletion in the answer history.

    Model.delete() would cost a DELETE and a history INSERT per answer (simple-history writes the
    record in a post_delete signal); a save must take the same number of queries however many
    answers it clears, so the history rows are bulk-created and the rows deleted in one go.
    """
    history = Answer.history.model
    history.objects.bulk_create(
        [
            history(
                history_date=now,
                history_user=user,
                history_change_reason="",
                history_type="-",
                **{f.attname: getattr(answer, f.attname) for f in history.tracked_fields},
            )
            for answer in answers
        ]
    )
    ids = [answer.pk for answer in answers]
    table = connection.ops.quote_name(Answer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)  # noqa: S608 - ids are parameters


def _update_status(progress, questions, answers) -> None:
    if progress.status == SectionStatus.APPROVED:
        return  # unchanged answers (_save_section reopens a section before changing it)
    if is_complete(questions, answers):
        status = SectionStatus.COMPLETE
    elif any(not is_empty(v) for v in answers.values()):
        status = SectionStatus.IN_PROGRESS
    else:
        status = SectionStatus.NOT_STARTED
    progress.status = status
    SectionProgress.objects.filter(pk=progress.pk).update(status=status, updated_at=timezone.now())


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
        use_case, claimed = _claim_version(use_case, expected_version, updated_at=timezone.now())
        questions = {
            q.slug: q
            for q in Question.active.filter(
                section__workbook=use_case.jurisdiction.workbook_id,
                section__scope=Section.Scope.USE_CASE,
                section__retired_at__isnull=True,
            )
        }
        stored = {
            a.question.slug: a
            for a in Answer.objects.filter(use_case=use_case).select_related("question")
        }
        values = _merged(values, stored, use_case.version, claimed, base, undecided)
        write_answers(access.user, use_case.jurisdiction, questions, stored, values, use_case)
        announce_change(access.jurisdiction)
    return use_case
