"""Changes to the register that depend on its rules: approvals, the stage changes they gate,
and evidence on the obligations of an entry's tier."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from strategy.answers import WorkbookAnswers, load_answers, load_use_cases
from strategy.models import ApprovalDecision, EvidenceStatus, ObligationEvidence, UseCaseApproval
from strategy.register.entries import IN_USE, RegisterEntry, go_live_blockers, register_entries
from strategy.scoring.risk import TIERS
from workbook.answers import actions as workbook_actions
from workbook.answers.changes import announce_change
from workbook.audit.record import record
from workbook.models import AuditKind, UseCase
from workbook.security.access import Action, JurisdictionAccess

# Enough for what was checked, by whom and where the record is kept; longer belongs in a file.
EVIDENCE_NOTE_MAX = 1000


def entry_of(
    access: JurisdictionAccess, use_case: UseCase
) -> tuple[RegisterEntry, WorkbookAnswers]:
    """The register entry of one of the jurisdiction's use cases, assessed by its rules, and the
    answers it was assessed with."""
    if use_case.jurisdiction_id != access.jurisdiction.pk:
        raise PermissionDenied
    answers = load_answers(access.jurisdiction)
    entries = register_entries(answers, load_use_cases(access.jurisdiction))
    return next(e for e in entries if e.use_case.pk == use_case.pk), answers


def save_entry(
    *, access: JurisdictionAccess, use_case: UseCase | None, fields: Mapping[str, Any]
) -> UseCase:
    """Save a register entry; a move into pilot or regular use needs an approval at its tier.

    A refused move raises a ValidationError on "stage" saying why, and nothing is stored."""
    access.require(Action.EDIT_ANSWERS)
    stage = fields.get("stage")
    # The stored stage: a model form has already set the posted one on the instance.
    stored = (
        None
        if use_case is None
        else UseCase.objects.filter(pk=use_case.pk).values_list("stage", flat=True).first()
    )
    moving = stage in IN_USE and stage != stored
    if moving:
        reasons = (
            ["it has not been screened for risk or approved yet"]
            if use_case is None
            else go_live_blockers(*entry_of(access, use_case))
        )
        if reasons:
            raise ValidationError(
                {
                    "stage": "It cannot move to this stage yet: "
                    + "; ".join(reasons)
                    + ". Save it as “Proposed”, screen it and record its approval first."
                }
            )
    return workbook_actions.save_use_case(access=access, use_case=use_case, fields=fields)


def record_approval(
    *, access: JurisdictionAccess, use_case: UseCase, fields: Mapping[str, Any]
) -> UseCaseApproval:
    """Record the decision of the tier's approver on an entry (a manager records it).

    Refused with a ValidationError, and nothing stored, when the entry has no tier to decide at,
    the approver named is not its tier's, or the dates and conditions do not fit the decision."""
    access.require(Action.APPROVE_SECTION)
    entry, _ = entry_of(access, use_case)
    tier = entry.risk.tier
    if tier not in TIERS or not entry.risk.complete:
        raise ValidationError(
            "Only a screened use can be approved: finish its risk screening first (a prohibited "
            "use is never approved)."
        )
    errors: dict[str, str] = {}
    approver = str(fields.get("approver", "")).strip()
    if not entry.approver:
        errors["approver"] = (
            f"The governance answers name nobody who approves tier {tier} uses; name the "
            "approver there first."
        )
    elif approver.casefold() != entry.approver.casefold():
        errors["approver"] = (
            f"Tier {tier} uses are approved by {entry.approver}, not by {approver or 'nobody'}."
        )
    decision = str(fields.get("decision") or "")
    decided_on = fields.get("decided_on")
    next_review = fields.get("next_review")
    conditions = str(fields.get("conditions", "")).strip()
    exception = str(fields.get("exception", "")).strip()
    if decision not in ApprovalDecision.values:
        errors["decision"] = "Choose the decision."
    if decision == ApprovalDecision.WITH_CONDITIONS and not conditions:
        errors["conditions"] = "Write the conditions the approval comes with."
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = "Give the date of the decision."
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The decision date cannot be in the future."
    elif next_review is not None and next_review <= decided_on:
        errors["next_review"] = "The next review must come after the decision."
    if exception and not entry.decides_alone:
        errors["exception"] = (
            "An exception to human review is only for a high-impact use that decides without a "
            "person's review; this use does not."
        )
    if errors or not isinstance(decided_on, datetime.date) or entry.approver is None:
        raise ValidationError(errors)
    with transaction.atomic():
        approval = UseCaseApproval.objects.create(
            use_case=use_case,
            tier=tier,
            approver=entry.approver,
            decision=decision,
            decided_on=decided_on,
            conditions=conditions,
            next_review=next_review,
            exception=exception,
            recorded_by=access.user,
        )
        record(
            AuditKind.USE_CASE_DECIDED,
            user=access.user,
            jurisdiction=access.jurisdiction,
            use_case=use_case.pk,
            tier=tier,
            decision=decision,
        )
        announce_change(access.jurisdiction)
    return approval


def record_evidence(
    *, access: JurisdictionAccess, use_case: UseCase, fields: Mapping[str, Any]
) -> ObligationEvidence:
    """Record whether one obligation of the entry's tier is met (an editor or manager records it).

    Refused with a ValidationError, and nothing stored, when the entry has no tier yet, the
    obligation is not one of its tier's, or the status, date or note do not fit."""
    return record_evidence_list(access=access, use_case=use_case, records=[fields])[0]


def record_evidence_list(
    *, access: JurisdictionAccess, use_case: UseCase, records: Sequence[Mapping[str, Any]]
) -> list[ObligationEvidence]:
    """Record several obligations of one entry at once (the entry is assessed once); all or
    nothing, refused as `record_evidence` is when any record does not fit."""
    access.require(Action.EDIT_ANSWERS)
    entry, _ = entry_of(access, use_case)
    tier = entry.risk.tier
    keys = {item.obligation.key for item in entry.checklist}
    if not keys or tier is None:
        raise ValidationError(
            "Only a screened use has obligations: finish its risk screening first."
        )
    checked = [_checked_evidence(fields, tier, keys) for fields in records]
    with transaction.atomic():
        stored = []
        for fields in checked:
            stored.append(
                ObligationEvidence.objects.create(
                    use_case=use_case, tier=tier, recorded_by=access.user, **fields
                )
            )
            record(
                AuditKind.EVIDENCE_RECORDED,
                user=access.user,
                jurisdiction=access.jurisdiction,
                use_case=use_case.pk,
                obligation=fields["obligation"],
                tier=tier,
                status=fields["status"],
            )
        announce_change(access.jurisdiction)  # the checks before adoption read the evidence
    return stored


def _checked_evidence(fields: Mapping[str, Any], tier: str, keys: set[str]) -> dict[str, Any]:
    """One record's fields, or a ValidationError naming each field that does not fit."""
    errors: dict[str, str] = {}
    obligation = str(fields.get("obligation") or "")
    status = str(fields.get("status") or "")
    evidenced_on = fields.get("evidenced_on")
    note = str(fields.get("note") or "").strip()
    if obligation not in keys:
        errors["obligation"] = (
            f"“{obligation or 'nothing'}” is not an obligation of tier {tier}; choose one from "
            "its checklist."
        )
    if status not in EvidenceStatus.values:
        errors["status"] = "Choose whether the obligation is met."
    if not isinstance(evidenced_on, datetime.date):
        errors["evidenced_on"] = "Give the date the evidence is from."
    elif evidenced_on > timezone.localdate():
        errors["evidenced_on"] = "The date of the evidence cannot be in the future."
    if len(note) > EVIDENCE_NOTE_MAX:
        errors["note"] = (
            f"Keep the note to {EVIDENCE_NOTE_MAX} characters (it has {len(note)}); link to "
            "the full record instead."
        )
    if status == EvidenceStatus.NOT_MET and not note:
        errors["note"] = "Say what is missing, so the gap can be closed."
    if errors:
        raise ValidationError(errors)
    return {
        "obligation": obligation,
        "status": status,
        "evidenced_on": evidenced_on,
        "note": note,
    }
