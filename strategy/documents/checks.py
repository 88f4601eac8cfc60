"""Checks before adoption: contradictions and gaps a reviewer would catch (pure: no database).

Each check is a small function over a jurisdiction's answers and its register, registered in
`CHECKS` by `@check`. A finding says in plain words what to change and names the questions (and
register entries) involved, so the documents page can link to them.

A check reads only answers that are given and shown: a question nobody has answered yet is an
open item, not a contradiction. Where a check asks for a missing counterpart (disclosure
required, so the disclosure wording), the answer that creates the duty has been given.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from strategy.answers import WorkbookAnswers
from strategy.law import content as law_content
from strategy.law.model import Duty
from strategy.law.standing import binding, profile
from strategy.register.entries import EXCEPTION_PROCESS, RegisterEntry, go_live_blockers
from strategy.scoring.risk import PROHIBITED, TIERS
from workbook.answers.presenter import date_text
from workbook.answers.rules import condition_met
from workbook.models import UseCaseStage

# The data classes of the approved-tool list, as its columns are named in the content.
DATA_CLASSES = ("public", "internal", "confidential", "restricted")
SENSITIVE_CLASSES = ("confidential", "restricted")
PERMITTED = ("allowed", "with-approval")
CLASS_COUNT = {"two-level": 2, "three-level": 3, "four-level": 4}
NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}
# How long the vendor keeps prompts and outputs, by the answer to data-retention.
VENDOR_KEEPS_DAYS = {"not-kept": 0, "up-to-30-days": 30}
_PERIOD = re.compile(r"(\d+)\s*(day|week|month|year)s?\b", re.IGNORECASE)
_DAYS_PER = {"day": 1, "week": 7, "month": 30, "year": 365}
# Adoption routes that make the AI rules a local law, which Texas preempts.
LOCAL_LAW_ROUTES = ("ordinance", "council-resolution", "directive-then-resolution")
# Uses needing approval that put AI-made content in front of the public.
AI_WEB_CONTENT = frozenset({"resident-chatbots", "published-content"})


@dataclass(frozen=True)
class Finding:
    """One failed check: what to change, and where."""

    check: str
    message: str
    questions: tuple[str, ...] = ()
    # The register entries involved, by use-case id: the page links to their screening.
    use_cases: tuple[int, ...] = ()


CheckFunction = Callable[[WorkbookAnswers, list[RegisterEntry]], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    id: str
    summary: str
    run: CheckFunction


CHECKS: list[Check] = []


def check(check_id: str, summary: str) -> Callable[[CheckFunction], CheckFunction]:
    """Registers a check under its id with a one-line summary of what it looks for."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(check_id, summary, function))
        return function

    return register


def run_checks(answers: WorkbookAnswers, register: list[RegisterEntry]) -> list[Finding]:
    """Every finding of every check, in the order the checks are registered."""
    return [finding for c in CHECKS for finding in c.run(answers, register)]


# -- reading answers --------------------------------------------------------------------------


def given(answers: WorkbookAnswers, slug: str) -> bool:
    """Answered and shown: an answer hidden by its `show_if` no longer counts."""
    question = answers.questions.get(slug)
    return (
        question is not None
        and answers.has(slug)
        and condition_met(question.show_if, answers.values)
    )


def value(answers: WorkbookAnswers, slug: str) -> Any:
    return answers.raw(slug) if given(answers, slug) else None


def rows(answers: WorkbookAnswers, slug: str) -> list[dict[str, Any]]:
    return answers.rows(slug) if given(answers, slug) else []


def option_label(answers: WorkbookAnswers, slug: str, option: str) -> str:
    question = answers.questions.get(slug)
    options = question.options if question else []
    return next((str(o["label"]) for o in options if str(o["value"]) == option), option)


def quoted_list(names: Iterable[str]) -> str:
    items = [f'"{n}"' for n in names]
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def contract_lacks(answers: WorkbookAnswers, term: str) -> bool:
    """The standard contract terms are chosen, and this one is not among them."""
    return given(answers, "proc-contract-terms") and term not in answers.selected(
        "proc-contract-terms"
    )


def live(entry: RegisterEntry) -> bool:
    return entry.use_case.stage != UseCaseStage.RETIRED


def in_use(entry: RegisterEntry) -> bool:
    return entry.in_use


def longest_period_days(text: str) -> int:
    """The longest period a text names ("kept 60 days", "two years" is not read), in days."""
    return max(
        (int(n) * _DAYS_PER[unit.lower()] for n, unit in _PERIOD.findall(text)),
        default=0,
    )


# -- the checks --------------------------------------------------------------------------------


@check(
    "personal-accounts",
    "A tool on an account the organization does not control, though "
    "the rules allow only organization accounts.",
)
def personal_accounts(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    if value(answers, "data-city-accounts-only") is not True:
        return
    tools = [
        str(r.get("tool") or "")
        for r in rows(answers, "data-tool-matrix")
        if r.get("city_account") is False
    ]
    if tools:
        yield Finding(
            "personal-accounts",
            f"The data rules allow staff to use only accounts the organization controls, but the "
            f"approved-tool list includes {quoted_list(tools)} on accounts it does not control. "
            f"Remove {'that tool' if len(tools) == 1 else 'those tools'} from the list (the "
            f"procedure then forbids {'it' if len(tools) == 1 else 'them'}), or list "
            f"{'it' if len(tools) == 1 else 'them'} only on an organization account.",
            ("data-city-accounts-only", "data-tool-matrix"),
        )


@check(
    "sensitive-data-personal-account",
    "Confidential or restricted data allowed in a tool "
    "on an account the organization does not control.",
)
def sensitive_data_personal_account(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    for row in rows(answers, "data-tool-matrix"):
        if row.get("city_account") is not False:
            continue
        classes = [c for c in SENSITIVE_CLASSES if row.get(c) in PERMITTED]
        if classes:
            yield Finding(
                "sensitive-data-personal-account",
                f"The approved-tool list lets staff put {' and '.join(classes)} data into "
                f'"{row.get("tool")}", which runs on an account the organization does not '
                f"control. Set {' and '.join(classes)} data to never for that tool, or move it "
                f"to an organization account.",
                ("data-tool-matrix",),
            )


@check(
    "class-count",
    "Fewer data classes in the classification scheme than the approved-tool list sets rules for.",
)
def class_count(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    levels = CLASS_COUNT.get(str(value(answers, "data-classification-scheme")))
    used = [c for c in DATA_CLASSES if any(r.get(c) for r in rows(answers, "data-tool-matrix"))]
    if levels and len(used) > levels:
        yield Finding(
            "class-count",
            f"The classification scheme has {NUMBER_WORDS[levels]} levels, but the "
            f"approved-tool list sets rules for {NUMBER_WORDS[len(used)]} classes of data "
            f"({', '.join(used)}). Choose the scheme that has the classes the list uses, or "
            f"leave the rules for the classes you do not have empty.",
            ("data-classification-scheme", "data-tool-matrix"),
        )


@check("records-not-kept", "Prompts and outputs are public records, but no tool keeps them.")
def records_not_kept(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    if value(answers, "rules-public-records") is True and value(answers, "data-retention") == (
        "not-kept"
    ):
        yield Finding(
            "records-not-kept",
            "Prompts and outputs used for official business are treated as public records, "
            "yet the data rules say the tools keep none of them, so nothing is kept for the "
            "records schedule. Keep them under the organization's control by the records "
            "schedule, or state in the retention rule where staff save them.",
            ("rules-public-records", "data-retention", "rules-retention"),
        )


@check("retention-period", "The records rule keeps prompts longer than the vendor keeps them.")
def retention_period(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    vendor_days = VENDOR_KEEPS_DAYS.get(str(value(answers, "data-retention")))
    rule = value(answers, "rules-retention")
    if not vendor_days or not isinstance(rule, str):
        return
    rule_days = longest_period_days(rule)
    if rule_days > vendor_days:
        yield Finding(
            "retention-period",
            f"The retention rule keeps some prompts and outputs {rule_days} days, but the tools "
            f"delete them after {vendor_days} days. Keep them under the organization's control "
            f"by the records schedule, or shorten the retention rule to fit.",
            ("rules-retention", "data-retention"),
        )


@check(
    "records-schedule-not-records",
    "Prompts kept by the records schedule, though they are not treated as public records.",
)
def records_schedule_not_records(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "data-retention") == "records-schedule" and (
        value(answers, "rules-public-records") is False
    ):
        yield Finding(
            "records-schedule-not-records",
            "The data rules keep prompts and outputs by the records schedule, but the use "
            "rules say they are not public records. Treat those used for official business as "
            "public records, or choose another retention for the tools.",
            ("data-retention", "rules-public-records"),
        )


@check(
    "records-no-retention-rule",
    "Prompts are public records, but no retention rule says how long they are kept.",
)
def records_no_retention_rule(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "rules-public-records") is True and not given(answers, "rules-retention"):
        yield Finding(
            "records-no-retention-rule",
            "Prompts and outputs are treated as public records, but the use rules do not say "
            "how long they are kept. Write the retention rule, pointing to a records schedule.",
            ("rules-retention", "rules-public-records"),
        )


@check(
    "retention-not-in-contracts",
    "Vendor retention is limited, but the contract terms do not limit it.",
)
def retention_not_in_contracts(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "data-retention") in VENDOR_KEEPS_DAYS and contract_lacks(
        answers, "retention-limits"
    ):
        yield Finding(
            "retention-not-in-contracts",
            "The data rules limit how long vendors keep prompts and outputs, but the "
            "standard contract terms do not include that limit. Add the limit on how long "
            "the vendor keeps data to the contract terms.",
            ("proc-contract-terms", "data-retention"),
        )


@check(
    "vendor-training-not-in-contracts",
    "Vendors may never train on the data, but the contract terms do not forbid it.",
)
def vendor_training_not_in_contracts(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "data-vendor-training") == "never" and contract_lacks(answers, "no-training"):
        yield Finding(
            "vendor-training-not-in-contracts",
            "The data rules never let vendors train their products on the organization's "
            "data, but the standard contract terms do not say so. Add the term that forbids "
            "training on the organization's data to the contract terms.",
            ("proc-contract-terms", "data-vendor-training"),
        )


@check(
    "security-review-no-owner",
    "Every new tool needs a security review, but nobody is named to do it.",
)
def security_review_no_owner(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "data-security-review") is True and not given(answers, "data-security-owner"):
        yield Finding(
            "security-review-no-owner",
            "Every new AI tool must pass a security review, but no role is named to carry it "
            "out. Name the role that does the security review.",
            ("data-security-owner", "data-security-review"),
        )


@check(
    "use-not-screened",
    "A use in pilot or regular use whose risk screening is missing or unfinished.",
)
def use_not_screened(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    for entry in register:
        if not in_use(entry) or (entry.risk.tier is not None and entry.risk.complete):
            continue
        started = entry.risk.tier is not None
        yield Finding(
            "use-not-screened",
            f'"{entry.use_case.name}" is {entry.stage_phrase}, but its risk screening is '
            f"{'unfinished' if started else 'not done'}, so it "
            f"has no reliable tier and nobody knows who must approve it. "
            f"{'Finish' if started else 'Answer'} its risk screening.",
            use_cases=(entry.use_case.pk,),
        )


@check(
    "no-approver-at-tier",
    "A screened use (high-impact or automated decisions among them) "
    "with nobody named to approve uses of its tier.",
)
def no_approver_at_tier(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if not rows(answers, "gov-tier-approvers"):
        return
    for entry in register:
        tier = entry.risk.tier
        if not live(entry) or tier not in TIERS or entry.approver:
            continue
        why = ""
        if entry.screening.get("risk-ai-role") == "automated-decision":
            why = " that decides automatically"
        if entry.risk.high_impact:
            why += " and could affect people's rights, services or safety"
        yield Finding(
            "no-approver-at-tier",
            f'"{entry.use_case.name}" is a tier {tier} use{why}, but the approvals table '
            f"names nobody who approves tier {tier} uses. Add an approver for tier {tier}.",
            ("gov-tier-approvers",),
            (entry.use_case.pk,),
        )


def live_and_screened(register: list[RegisterEntry]) -> list[RegisterEntry]:
    """The uses in pilot or regular use with a finished screening at a tier; unscreened and
    prohibited uses have checks of their own."""
    return [e for e in register if in_use(e) and e.risk.tier in TIERS and e.risk.complete]


@check(
    "live-without-approval",
    "A use in pilot or regular use with no approval at its tier, or, where it is high-impact "
    "and decides without a person's review, no exception recorded under an exception process.",
)
def live_without_approval(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    for entry in live_and_screened(register):
        for reason in go_live_blockers(entry, answers):
            yield Finding(
                "live-without-approval",
                f'"{entry.use_case.name}" is {entry.stage_phrase}, but {reason}. Record the '
                f"decision of {entry.approver or 'its approver'} on its register page, or move "
                f'it back to "Proposed" until then.',
                (EXCEPTION_PROCESS,) if entry.decides_alone else (),
                (entry.use_case.pk,),
            )


@check(
    "obligation-not-met",
    "A use in pilot or regular use with an obligation of its tier marked not met, or with no "
    "evidence recorded on it.",
)
def obligation_not_met(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    for entry in live_and_screened(register):
        missing = [i for i in entry.checklist if not i.met]
        if not missing:
            continue
        unmet = [i.obligation.title.lower() for i in missing if i.evidence is not None]
        unknown = [i.obligation.title.lower() for i in missing if i.evidence is None]
        parts = []
        if unmet:
            parts.append(f"marked not met: {'; '.join(unmet)}")
        if unknown:
            parts.append(f"with no evidence yet: {'; '.join(unknown)}")
        yield Finding(
            "obligation-not-met",
            f'"{entry.use_case.name}" is {entry.stage_phrase}, but obligations of tier '
            f"{entry.risk.tier} are open ({', and '.join(parts)}). Record the evidence on its "
            f'register page once each is in place, or move it back to "Proposed" until then.',
            (),
            (entry.use_case.pk,),
        )


@check(
    "prohibited-use",
    "A use in the register that falls under a category the jurisdiction never allows.",
)
def prohibited_use(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    for entry in register:
        if not live(entry) or entry.risk.tier != PROHIBITED:
            continue
        categories = [
            option_label(answers, "rules-red", c) for c in entry.risk.prohibited_categories
        ]
        yield Finding(
            "prohibited-use",
            f'"{entry.use_case.name}" falls under {"a use" if len(categories) == 1 else "uses"} '
            f"the rules never allow ({'; '.join(c.lower() for c in categories)}). Stop it and "
            f"mark it retired in the register, or correct its screening if the category does "
            f"not apply.",
            ("rules-red",),
            (entry.use_case.pk,),
        )


@check(
    "data-class-no-tool",
    "A use in pilot or regular use relies on a class of data no approved tool may receive.",
)
def data_class_no_tool(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    tools = rows(answers, "data-tool-matrix")
    if not tools:
        return
    for entry in register:
        data_class = entry.screening.get("risk-data-class")
        if not in_use(entry) or data_class not in SENSITIVE_CLASSES:
            continue
        if not any(t.get(data_class) in PERMITTED for t in tools):
            yield Finding(
                "data-class-no-tool",
                f'"{entry.use_case.name}" is {entry.stage_phrase} '
                f"and relies on {data_class} data, but no tool in the approved-tool list may "
                f"receive {data_class} data. Approve a tool for it in the list, or stop the use.",
                ("data-tool-matrix",),
                (entry.use_case.pk,),
            )


@check(
    "public-register-no-page",
    "A promise to publish the register of AI uses, but no public web page to publish it on.",
)
def public_register_no_page(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "gov-public-register") is True and value(answers, "engage-web-page") is False:
        yield Finding(
            "public-register-no-page",
            "The governance section promises to publish the register of AI uses, but there "
            "will be no public web page about AI. Plan the web page, where the register is "
            "published, or drop the promise to publish it.",
            ("gov-public-register", "engage-web-page"),
        )


@check(
    "disclosure-no-wording",
    "Disclosure of AI help is required, but there is no standard disclosure wording.",
)
def disclosure_no_wording(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if given(answers, "rules-disclosure") and not given(answers, "rules-disclosure-template"):
        yield Finding(
            "disclosure-no-wording",
            "Staff must disclose AI help, but the use rules give no standard wording for it. "
            "Write the disclosure wording staff will use.",
            ("rules-disclosure-template", "rules-disclosure"),
        )


@check(
    "notice-no-wording",
    "Residents are to be told when they deal with AI, but the notice is not written.",
)
def notice_no_wording(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    if value(answers, "engage-notice") is True and not given(answers, "engage-notice-text"):
        yield Finding(
            "notice-no-wording",
            "Residents are to be told in plain language when they deal with AI, but the "
            "notice they will see is not written. Draft the notice.",
            ("engage-notice-text", "engage-notice"),
        )


@check(
    "resident-facing-no-notice",
    "A use that residents deal with, though residents are not to be told when they deal with AI.",
)
def resident_facing_no_notice(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "engage-notice") is not False:
        return
    names = [e.use_case.name for e in register if in_use(e) and e.use_case.resident_facing]
    if names:
        yield Finding(
            "resident-facing-no-notice",
            f"Residents deal directly with {quoted_list(names)}, but the engagement section "
            f"says residents will not be told when they are dealing with AI. Decide to tell "
            f"them, and draft the notice.",
            ("engage-notice",),
            tuple(e.use_case.pk for e in register if e.use_case.name in names),
        )


@check("deployed-no-incident-owner", "Uses in regular use, but nobody owns incident response.")
def deployed_no_incident_owner(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if given(answers, "inc-owner"):
        return
    deployed = [e.use_case.name for e in register if e.use_case.stage == UseCaseStage.DEPLOYED]
    if deployed:
        yield Finding(
            "deployed-no-incident-owner",
            f"{len(deployed)} AI {'use is' if len(deployed) == 1 else 'uses are'} in regular "
            f"use, but nobody owns incident response. Name the role that takes charge of an "
            f"AI incident.",
            ("inc-owner",),
        )


@check(
    "monitoring-missing-tier",
    "A tier that uses in pilot or regular use have, with no monitoring set for it.",
)
def monitoring_missing_tier(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    monitoring = rows(answers, "inc-monitoring")
    if not monitoring:
        return
    monitored = {str(r.get("tier")) for r in monitoring}
    for tier in TIERS:
        uses = [e for e in register if in_use(e) and e.risk.tier == tier]
        if uses and tier not in monitored:
            yield Finding(
                "monitoring-missing-tier",
                f"{quoted_list(e.use_case.name for e in uses)} {'is' if len(uses) == 1 else 'are'}"
                f" tier {tier} and running, but the monitoring table sets no checks for tier "
                f"{tier}. Add how tier {tier} uses are monitored.",
                ("inc-monitoring",),
                tuple(e.use_case.pk for e in uses),
            )


@check(
    "review-tier-no-safeguards",
    "Human review depends on the tier, but a tier has no minimum safeguards.",
)
def review_tier_no_safeguards(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "rules-review-standard") != "by-tier":
        return
    bare = [
        str(r.get("tier"))
        for r in rows(answers, "gov-tier-approvers")
        if r.get("tier") and not str(r.get("controls") or "").strip()
    ]
    if bare:
        tiers = " and ".join(f"tier {t}" for t in bare)
        yield Finding(
            "review-tier-no-safeguards",
            f"Which outputs a person must review depends on the risk tier, but the approvals "
            f"table gives no minimum safeguards for {tiers}. Write the safeguards, human review "
            f"among them, for {tiers}.",
            ("gov-tier-approvers", "rules-review-standard"),
        )


@check(
    "training-not-planned",
    "Training is required before access, but the action plan has no training action.",
)
def training_not_planned(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if value(answers, "work-training-required") is not True:
        return
    actions = rows(answers, "plan-actions")
    if not any("train" in str(r.get("action") or "").lower() for r in actions):
        yield Finding(
            "training-not-planned",
            "Staff must complete training before they get access to AI tools, but the action "
            "plan has no action to train them. Add a training action with an owner and a due "
            "date.",
            ("plan-actions", "work-training-required"),
        )


@check(
    "automated-decision-red-line",
    "A high-impact use that decides automatically, though the "
    "rules never allow decisions about people with no person making the final call.",
)
def automated_decision_red_line(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    if "automated-decisions-no-human" not in answers.selected("rules-red"):
        return
    for entry in register:
        screening = entry.screening
        if (
            live(entry)
            and entry.risk.tier != PROHIBITED
            and screening.get("risk-ai-role") == "automated-decision"
            and screening.get("risk-high-impact") is True
        ):
            yield Finding(
                "automated-decision-red-line",
                f'"{entry.use_case.name}" decides automatically and could affect people\'s '
                f"rights, services or safety, but the rules never allow such decisions without "
                f"a person making the final call. Have a person approve each result and correct "
                f"its screening, or stop the use.",
                ("rules-red",),
                (entry.use_case.pk,),
            )


# -- duties of law (fixtures/obligations.yaml) ------------------------------------------------


def duty_binding(answers: WorkbookAnswers, duty_id: str) -> Duty | None:
    """The duty when it applies to this jurisdiction by the state and size its profile gives."""
    duty = law_content.obligations().get(duty_id)
    return duty if binding(duty, profile(answers)) else None


@check(
    "texas-notice-optional",
    "A Texas jurisdiction that does not tell residents when they deal with AI.",
)
def texas_notice_optional(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    duty = duty_binding(answers, "tx-traiga-ai-interaction-notice")
    if duty and value(answers, "engage-notice") is False:
        yield Finding(
            "texas-notice-optional",
            f"Texas law ({duty.citation}) requires a government body to tell each person that "
            f"they are dealing with an AI system, but the engagement section leaves the notice "
            f"out. Decide to tell residents, draft the notice, and confirm with your attorney.",
            ("engage-notice", "profile-state"),
        )


@check(
    "texas-preemption",
    "A Texas jurisdiction that plans to adopt its AI rules by ordinance or resolution.",
)
def texas_preemption(answers: WorkbookAnswers, register: list[RegisterEntry]) -> Iterator[Finding]:
    duty = duty_binding(answers, "tx-traiga-local-preemption")
    route = value(answers, "profile-adoption-route")
    if duty and route in LOCAL_LAW_ROUTES:
        yield Finding(
            "texas-preemption",
            f"Texas law ({duty.citation}) preempts local ordinances, resolutions and rules on "
            f"the use of AI, and the procedure is to be adopted by "
            f"{option_label(answers, 'profile-adoption-route', route).lower()}. Ask your "
            f"attorney whether that route collides with state law before the council or board "
            f"acts.",
            ("profile-adoption-route", "profile-state"),
        )


@check(
    "texas-training-not-required",
    "A Texas jurisdiction that does not require AI training before staff use AI.",
)
def texas_training_not_required(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    duty = duty_binding(answers, "tx-ai-training")
    if duty and value(answers, "work-training-required") is False:
        yield Finding(
            "texas-training-not-required",
            f"Texas law ({duty.citation}) extends the yearly training duty of local government "
            f"staff and officials to AI, but training is not required before staff use AI "
            f"tools. Require a state-certified AI course, and confirm the details with your "
            f"attorney.",
            ("work-training-required", "profile-state"),
        )


@check(
    "web-accessibility-no-review",
    "50,000 residents or more, AI-made web content, and no accessibility review of it.",
)
def web_accessibility_no_review(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    duty = duty_binding(answers, "ada-title-ii-web-50k-plus")
    web_content = bool(answers.selected("rules-yellow") & AI_WEB_CONTENT) or any(
        in_use(e) and e.use_case.resident_facing for e in register
    )
    reviewed = "accessibility" in answers.selected("profile-existing-policies") or (
        "accessibility" in answers.selected("proc-contract-terms")
    )
    if duty and web_content and given(answers, "profile-existing-policies") and not reviewed:
        yield Finding(
            "web-accessibility-no-review",
            f"With 50,000 residents or more, the web pages, documents and chat tools offered to "
            f"the public, AI-made ones included, must meet WCAG 2.1 AA by "
            f"{date_text(duty.effective)} ({duty.citation}), but neither the "
            f"policies the AI rules follow nor the contract terms include accessibility. Add "
            f"digital accessibility to both, and confirm the dates with your attorney.",
            ("profile-existing-policies", "proc-contract-terms", "profile-population-count"),
        )


@check(
    "california-police-reports-disclosure",
    "A California police department whose AI-drafted reports need not always say so.",
)
def california_police_reports_disclosure(
    answers: WorkbookAnswers, register: list[RegisterEntry]
) -> Iterator[Finding]:
    duty = duty_binding(answers, "ca-sb524-ai-police-reports")
    disclosure = value(answers, "rules-disclosure")
    if (
        duty
        and "police" in answers.selected("profile-departments")
        and disclosure is not None
        and disclosure != "always"
    ):
        yield Finding(
            "california-police-reports-disclosure",
            f"California law ({duty.citation}) requires every police report written with AI "
            f"to say so and name the program, but the rules ask for disclosure only "
            f"{option_label(answers, 'rules-disclosure', disclosure).lower()}. Require "
            f"disclosure on every AI-assisted police report, and confirm with your attorney.",
            ("rules-disclosure", "profile-departments"),
        )
