"""The AI Standard Operating Procedure: a numbered procedure, one rule to a clause.

Every Paragraph and BulletList below becomes a numbered clause (4.2) when the document is
numbered, so each holds one rule. The rules come from the clauses of the content file; the
fixed text here is the frame any such procedure has (purpose, steps, the acknowledgment).
"""

from strategy.documents import control, legal, shared
from strategy.documents.control import document_number
from strategy.documents.model import SOP, Block, BulletList, Paragraph, Section, Subheading, Table
from strategy.documents.writing import Writer, count, number_word, the_role

# Where a rule refers to another part of the procedure it names that part by its heading,
# which stays right whatever numbers the sections get once empty ones are left out.
REQUESTS_HEADING = "Requesting a new AI use"
REQUESTS = f'section "{REQUESTS_HEADING}"'

TERMS = [
    "Artificial intelligence (AI) means software that produces text, images, predictions, "
    "recommendations or decisions from patterns learned from data.",
    "Generative AI means AI that writes text, images, audio or code in response to a request, "
    "called a prompt.",
    "An AI tool is a product or a feature of a product that uses AI, including AI features "
    "added to software already in use.",
    "An approved tool is an AI tool listed in the approved tools table of this procedure, for "
    "the data classes shown there.",
    "An AI use is one way of using an AI tool for one purpose; each use is entered in the "
    "register of AI uses.",
    "A risk tier is the level, from I (low) to IV (very high), that the risk screening gives a "
    "use; it decides who approves the use and which safeguards apply.",
    "A high-impact use is a use that could affect a person's rights, benefits, access to "
    "services, employment, enforcement or safety.",
    "Human review means that a person reads an output, checks it against sources and takes "
    "responsibility for it before it is used.",
    "An AI incident is harm, a data leak, false information or a near miss involving an AI tool.",
]


def sections(w: Writer) -> list[Section]:
    return [
        Section("Purpose", purpose(w)),
        Section("Authority", authority(w)),
        Section("Scope", scope(w)),
        Section("Definitions", definitions(w)),
        Section("Roles and responsibilities", roles(w)),
        Section("Approved tools and the data each may receive", tools(w)),
        Section("Permitted uses, uses that need approval and prohibited uses", uses(w)),
        Section("Human review by risk tier", human_review(w)),
        Section("Disclosure", disclosure(w)),
        Section("Records and retention", records(w)),
        Section(REQUESTS_HEADING, requests(w)),
        Section("Vendor requirements", vendors(w)),
        Section("Incident reporting", incidents(w)),
        Section("Training and acknowledgment", training(w)),
        Section("Exceptions and enforcement", exceptions(w)),
        Section("Review of this procedure", review(w)),
        Section("Quick-reference card", quick_reference(w), appendix=True, page_break=True),
        Section(
            "Staff acknowledgment form", acknowledgment_form(w), appendix=True, page_break=True
        ),
    ]


def purpose(w: Writer) -> list[Block | None]:
    return [
        Paragraph(
            f"This procedure sets out how staff of {w.name} may use artificial intelligence at "
            "work: which uses are permitted, which need approval first and which are prohibited."
        ),
        Paragraph(
            "It also sets out how staff must handle data, review and disclose AI output, keep "
            "records, ask for a new use, buy AI products and report incidents."
        ),
    ]


def authority(w: Writer) -> list[Block | None]:
    executive = w.text("gov-accountable-executive")
    return [
        w.paragraph(
            executive
            and f"{w.subject} issues this procedure under the authority of {the_role(executive)}, "
            "who is accountable for the use of AI"
        ),
        Paragraph(
            f"This procedure adds to {w.name}'s other policies and does not replace them; where "
            "this procedure and another policy differ, staff must follow the stricter rule."
        ),
        legal.authority_note(w),
    ]


def scope(w: Writer) -> list[Block | None]:
    return [
        Paragraph(
            f"This procedure applies to every employee of {w.name} who uses an AI tool for "
            "work, on any device, including AI features in software already in use."
        ),
        w.bullets("profile-departments", "It covers these departments:"),
        w.paragraph(w.clause("rules-applies-to-officials")),
    ]


def definitions(w: Writer) -> list[Block | None]:
    classes = shared.data_classes(w)
    return [
        BulletList(TERMS, lead="In this procedure:"),
        BulletList(
            [f"{c.name} means {c.definition}." if c.definition else f"{c.name}." for c in classes],
            lead=f"Information falls into one of {number_word(len(classes))} data classes:",
        )
        if classes
        else None,
    ]


def roles(w: Writer) -> list[Block | None]:
    return [
        w.paragraph(shared.executive(w)),
        w.paragraph(w.clause("gov-model")),
        w.paragraph(shared.committee_members(w)),
        w.paragraph(shared.ai_lead(w)),
        Paragraph(
            "Department heads must make sure that every AI use in their department is approved "
            "at its tier and entered in the register before it starts."
        ),
        Paragraph(
            "Every member of staff who uses AI must follow this procedure and is responsible for "
            "the AI output they use, as for their own work."
        ),
        w.table("gov-raci", "Who does what"),
    ]


def tools(w: Writer) -> list[Block | None]:
    matrix = shared.tool_matrix(w)
    return [
        w.paragraph(w.clause("data-classification-scheme")),
        when(
            matrix,
            Paragraph(
                "Staff may use only the approved tools in the table below, and only with the data "
                "classes the table allows for each tool."
            ),
        ),
        when(
            matrix,
            Paragraph(
                "Where the table says a data class is allowed only with approval, staff must have "
                f"that data named in the approval of the use (see {REQUESTS}) before they put it "
                "into the tool."
            ),
        ),
        matrix,
        w.paragraph(w.clause(shared.ACCOUNTS_ONLY)),
        shared.personal_account_ban(w),
        w.paragraph(w.clause("proc-free-tools")),
        w.paragraph(w.clause("data-security-review")),
        w.paragraph(shared.security_owner(w)),
        w.paragraph(w.clause("data-vendor-training")),
        w.paragraph(shared.vendor_training_conditions(w)),
        shared.regulated_data(w),
    ]


def uses(w: Writer) -> list[Block | None]:
    permitted = w.bullets(
        "rules-green", "Staff may use an approved tool, with the data it is approved for, to:"
    )
    needs_approval = w.bullets(
        "rules-yellow",
        f"Staff must have the use approved, after a risk screening (see {REQUESTS}), before "
        "they use AI for:",
    )
    prohibited = w.bullets(
        "rules-red", "Staff must never do any of the following, whatever the benefit:"
    )
    return [
        when(permitted, Subheading("Permitted: no approval needed")),
        permitted,
        when(needs_approval, Subheading("Needs approval: ask before you start")),
        legal.cite(w, needs_approval, "rules-yellow"),
        Paragraph("Any use that is not listed as permitted needs approval before it starts."),
        when(prohibited, Subheading("Prohibited: never allowed")),
        legal.cite(w, prohibited, "rules-red"),
        when(
            prohibited,
            Paragraph(
                "A use that the risk screening places in a prohibited category must not start, "
                "whatever its risk tier."
            ),
        ),
    ]


def human_review(w: Writer) -> list[Block | None]:
    by_tier = w.has("rules-review-standard") and w.a.raw("rules-review-standard") == "by-tier"
    monitoring = shared.monitoring_table(w)
    return [
        legal.cite(w, w.paragraph(w.clause("rules-review-standard")), "rules-review-standard"),
        when(
            by_tier,
            Paragraph(
                "The minimum safeguards of each tier, including who reviews the output, are set "
                f"out in the table of risk tiers in {REQUESTS}."
            ),
        ),
        w.paragraph(w.clause("rules-fact-check")),
        Paragraph(
            "The member of staff who uses an AI output is responsible for it, as for their own "
            "work, whoever or whatever drafted it."
        ),
        when(
            monitoring,
            Paragraph("Once a use is running, it must be monitored as the table below sets out."),
        ),
        monitoring,
    ]


def disclosure(w: Writer) -> list[Block | None]:
    template = w.text("rules-disclosure-template")
    notice = w.text("engage-notice-text")
    return [
        legal.cite(w, w.paragraph(w.clause("rules-disclosure")), "rules-disclosure"),
        when(
            template, Paragraph("Staff must disclose the use of AI in the standard wording below.")
        ),
        w.paragraph(template),
        legal.cite(
            w,
            when(
                notice,
                Paragraph(
                    "Where residents deal with an AI tool directly, they must see this notice."
                ),
            ),
            "engage-notice",
            "engage-notice-text",
        ),
        w.paragraph(notice),
    ]


def records(w: Writer) -> list[Block | None]:
    public_records = w.yes("rules-public-records")
    retention = w.text("rules-retention")
    return [
        w.paragraph(w.clause("rules-public-records")),
        legal.cite(w, w.paragraph(retention), "rules-retention"),
        w.paragraph(w.clause("data-retention")),
        when(
            public_records,
            Paragraph(
                "Staff must save any prompt or output that is a record in the records system of "
                f"{w.name}, not only in the AI tool, so that it is kept for as long as the record "
                "must be."
            ),
        ),
    ]


def requests(w: Writer) -> list[Block | None]:
    tiers = shared.tier_table(w)
    approver = (
        "the approver for that tier, named in the table below,"
        if tiers
        else "the approver for that tier"
    )
    return [
        BulletList(
            [
                "Intake: the department that wants the use describes it, the tool, the data "
                "involved and who is affected, and enters it in the register of AI uses.",
                "Screening: the department answers the risk screening for the use, with help "
                "from the AI lead.",
                "Tier: the screening gives the use a risk tier from I (low) to IV (very high); "
                "a use in a prohibited category stops here.",
                f"Approval: {approver} decides whether the use may start and on what conditions.",
                "Start and monitoring: the use starts only once it is approved, and is checked "
                "as its tier requires.",
            ],
            ordered=True,
            lead="Staff who want to start a new AI use, or to use a tool that is not approved "
            "yet, must follow these steps:",
        ),
        tiers,
        w.paragraph(w.clause("gov-public-register"), shared.public_register_sentence(w)),
    ]


def vendors(w: Writer) -> list[Block | None]:
    return [
        w.paragraph(w.clause("proc-disclosure-form")),
        legal.cite(w, shared.contract_terms(w), "proc-contract-terms"),
        w.paragraph(w.clause("proc-renewal-check")),
        w.paragraph(shared.renewal_owner(w)),
        shared.evaluation_table(w),
        shared.cooperatives(w),
    ]


def incidents(w: Writer) -> list[Block | None]:
    channel, owner = w.text("inc-channel"), w.text("inc-owner")
    pause, drill = w.text("inc-pause-authority"), w.text("inc-drill-date")
    return [
        w.bullets(
            "inc-types",
            "Staff must report any of the following as an AI incident, near misses included:",
        ),
        Paragraph(
            "Staff must report an AI incident as soon as they notice it, even when they are not "
            "sure that it is one."
        ),
        w.paragraph(channel and f"Staff must report it through this channel: {channel}"),
        w.paragraph(owner and f"The response to each AI incident is led by {the_role(owner)}"),
        w.table("inc-severity", "Incident severity and response times"),
        w.paragraph(
            pause and f"An AI system may be paused or switched off at once by {the_role(pause)}"
        ),
        w.paragraph(w.text("inc-resident-notice")),
        w.paragraph(drill and f"The first practice exercise for an AI incident is set for {drill}"),
    ]


def training(w: Writer) -> list[Block | None]:
    hours = w.a.raw("work-training-hours") if w.shown("work-training-hours") else None
    if hours is not None and w.has("work-training-hours"):
        length = count(hours, "hour") if float(hours) == int(float(hours)) else f"{hours} hours"
    else:
        length = None
    return [
        legal.cite(w, w.paragraph(w.clause("work-training-required")), "work-training-required"),
        w.paragraph(length and f"The training required before access takes {length}"),
        w.table("work-curriculum", "Training offered"),
        Paragraph(
            "Before they first use an AI tool for work, staff must sign the staff acknowledgment "
            "form in the appendix to this procedure and give it to their supervisor, who keeps it "
            "on file."
        ),
    ]


def exceptions(w: Writer) -> list[Block | None]:
    process = w.text("rules-exceptions")
    return [
        when(
            process,
            Paragraph(
                "Staff who need to depart from this procedure must ask for an exception first; "
                "an exception applies only once it is granted, and only as granted."
            ),
        ),
        w.paragraph(process),
        Paragraph(
            f"A breach of this procedure is handled like a breach of any other policy of "
            f"{w.name} on technology and information."
        ),
    ]


def review(w: Writer) -> list[Block | None]:
    sunset = w.text("gov-sunset-criteria")
    due = control.next_review(w, control.effective_date(w)[1])
    return [
        w.paragraph(w.clause("gov-review-cadence")),
        when(
            due != control.NOT_SET, Paragraph(f"The next review of this procedure is due by {due}.")
        ),
        w.paragraph(w.clause("gov-council-reporting")),
        Paragraph(
            "Each review records its changes as a new edition in the revision history of this "
            "procedure."
        ),
        when(sunset, Subheading("Retiring an AI system")),
        w.paragraph(sunset),
    ]


def quick_reference(w: Writer) -> list[Block | None]:
    """The one-page card: the rules staff need at their desk, in the same words as the body."""
    account = f", through an account {w.name} controls" if shared.accounts_only(w) else ""
    green, yellow, red = w.clauses("rules-green"), w.clauses("rules-yellow"), w.clauses("rules-red")
    channel = w.text("inc-channel")
    return [
        Paragraph(
            f"Use only an approved tool{account}, with the data it is approved for. Check every "
            "output before you use it, because you are responsible for it."
        ),
        when(green, Subheading("Permitted: go ahead")),
        when(green, BulletList(green)),
        when(yellow, Subheading("Needs approval: ask first")),
        when(yellow, BulletList(yellow)),
        when(red, Subheading("Prohibited: never")),
        when(red, BulletList(red)),
        w.paragraph(channel and f"If something goes wrong, report it at once: {channel}"),
    ]


def acknowledgment_form(w: Writer) -> list[Block | None]:
    number = document_number(w, SOP)
    return [
        Paragraph(
            f"I have read {w.name}'s AI Standard Operating Procedure ({number}). I will use "
            "only approved AI tools, with the data they are approved for; I will check every AI "
            "output I use and take responsibility for it; and I will report any AI incident at "
            "once."
        ),
        Table(
            "Staff acknowledgment",
            ["Staff member", "Details"],
            [[label, ""] for label in ("Name", "Job title", "Department", "Signature", "Date")],
        ),
    ]


def when(condition: object, block: Block) -> Block | None:
    """The block when the condition holds (an answer is there), else None: nothing to say."""
    return block if condition else None
