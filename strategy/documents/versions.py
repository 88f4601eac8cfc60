"""The content version of a jurisdiction's documents: everything they are written from, read in
three queries and hashed into one key that moves on every change. The export cache keys its
files by it, the document web pages keep their rendered body by it, and the documents take
their date and the public register's address from it."""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from strategy.models import ObligationEvidence, PublishedRegister, UseCaseApproval
from workbook.models import Answer, Jurisdiction, SectionProgress, UseCase


@dataclass(frozen=True)
class ContentVersion:
    key: str
    # The newest change to an answer, a section's progress or a use case (None: never changed).
    last_change: datetime.datetime | None
    # The public register's full address while it is published (the documents name it), else "".
    public_register_url: str

    @property
    def date(self) -> datetime.date:
        """The document's date: the day of the last change, so a re-render is identical."""
        return timezone.localdate(self.last_change) if self.last_change else timezone.localdate()


def _over(rows: QuerySet, aggregate) -> Subquery:
    """`aggregate` over the jurisdiction's rows, as a subquery of the jurisdiction's own row."""
    mine = rows.filter(jurisdiction=OuterRef("pk")).order_by().values("jurisdiction")
    return Subquery(mine.annotate(value=aggregate).values("value"))


def _newest(model) -> Subquery:
    """The newest record of `model` (kept, never edited) on the use case of the outer row."""
    return Subquery(model.objects.filter(use_case=OuterRef("pk")).order_by("-pk").values("pk")[:1])


def read_version(jurisdiction: Jurisdiction) -> ContentVersion:
    """Everything about the workbook that changes when anything is edited, assigned or approved."""
    totals = (
        Jurisdiction.objects.filter(pk=jurisdiction.pk)
        .values(
            answer_count=_over(Answer.objects.all(), Count("pk")),
            changed=_over(Answer.objects.all(), Max("updated_at")),
            # The newest history entry also moves on deletions.
            history=_over(Answer.history.all(), Max("history_id")),
            published=Exists(PublishedRegister.objects.filter(jurisdiction=OuterRef("pk"))),
        )
        .get()
    )
    sections = list(
        SectionProgress.objects.filter(jurisdiction=jurisdiction)
        .order_by("section_id")
        .values_list("section_id", "version", "status", "updated_at")
    )
    # A recorded decision changes the register appendix, and recorded evidence the checks before
    # adoption, without touching the use case itself.
    use_cases = list(
        UseCase.objects.filter(jurisdiction=jurisdiction)
        .annotate(decided=_newest(UseCaseApproval), evidenced=_newest(ObligationEvidence))
        .order_by("pk")
        .values_list("pk", "version", "updated_at", "decided", "evidenced")
    )
    register_url = ""
    if totals["published"]:
        path = reverse("public:register", kwargs={"jurisdiction_slug": jurisdiction.slug})
        register_url = f"{settings.SITE_URL}{path}"
    material = {
        # loaded_at moves on every content load, so an edited clause is never served stale.
        "jurisdiction": [
            jurisdiction.pk,
            jurisdiction.name,
            jurisdiction.workbook.version,
            jurisdiction.workbook.loaded_at,
        ],
        "answers": [totals["answer_count"], totals["changed"], totals["history"]],
        "sections": sections,
        "use_cases": use_cases,
        "public_register": register_url,
    }
    moments = [totals["changed"], *(s[3] for s in sections), *(u[2] for u in use_cases)]
    encoded = json.dumps(material, sort_keys=True, default=str).encode()
    return ContentVersion(
        key=hashlib.sha256(encoded).hexdigest(),
        last_change=max((m for m in moments if m is not None), default=None),
        public_register_url=register_url,
    )


def content_version(jurisdiction: Jurisdiction) -> str:
    """The key of what this jurisdiction's documents are written from."""
    return read_version(jurisdiction).key
