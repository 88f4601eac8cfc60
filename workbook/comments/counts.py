"""How many comments are open, and how many are new to this person, per jurisdiction and section.

Read-only. "New" means written by someone else since this person's previous sign-in (the
audit log's sign-ins), so that no page has to write down who looked at what: a GET never
changes anything.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Subquery

from workbook.models import AuditEvent, AuditKind, Comment


@dataclass
class CommentCounts:
    open: int = 0  # open threads
    new: int = 0  # comments and replies by others since the previous visit
    by_section: dict[int, "CommentCounts"] = field(default_factory=dict)


def previous_visit(user) -> Subquery:
    """When this user signed in before the current session (NULL on their first visit, which
    then marks nothing new: there is no earlier visit to compare with)."""
    return Subquery(
        AuditEvent.objects.filter(kind=AuditKind.SIGNED_IN, user=user)
        .order_by("-created_at")
        .values("created_at")[1:2]
    )


def comment_counts(user, jurisdiction_ids: Iterable[int]) -> dict[int, CommentCounts]:
    """Open threads and new comments of each jurisdiction, in total and by section: one query
    whatever the number of jurisdictions and sections."""
    ids = list(jurisdiction_ids)
    counts: dict[int, CommentCounts] = defaultdict(CommentCounts)
    rows = (
        Comment.objects.filter(jurisdiction__in=ids)
        .values("jurisdiction", "section")
        .annotate(
            open=Count("pk", filter=Q(parent__isnull=True, resolved_at__isnull=True)),
            new=Count("pk", filter=Q(created_at__gt=previous_visit(user)) & ~Q(author=user)),
        )
        .order_by()
    )
    for row in rows:
        total = counts[row["jurisdiction"]]
        total.open += row["open"]
        total.new += row["new"]
        total.by_section[row["section"]] = CommentCounts(open=row["open"], new=row["new"])
    return {pk: counts[pk] for pk in ids}
