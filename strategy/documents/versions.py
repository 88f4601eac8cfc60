"""The content version of a jurisdiction's documents: one hash of everything they are written
from, which moves on every change. The export cache keys its files by it, and the document web
pages keep their rendered body by it."""

import hashlib
import json

from django.db.models import Count, Max

from strategy.documents.build import public_register_url
from workbook.models import Answer, Jurisdiction, SectionProgress, UseCase


def answer_versions(jurisdiction: Jurisdiction) -> dict:
    """Everything about the answers that changes when anything is edited or approved."""
    answers = Answer.objects.filter(jurisdiction=jurisdiction).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    history = Answer.history.filter(jurisdiction_id=jurisdiction.pk).aggregate(
        last=Max("history_id")
    )
    return {
        "sections": list(
            SectionProgress.objects.filter(jurisdiction=jurisdiction)
            .order_by("section_id")
            .values_list("section_id", "version", "status")
        ),
        # A recorded approval changes the register appendix without touching its use case.
        "use_cases": [
            [pk, version, updated.isoformat(), decided]
            for pk, version, updated, decided in UseCase.objects.filter(jurisdiction=jurisdiction)
            .annotate(decided=Max("approvals__pk"))
            .order_by("pk")
            .values_list("pk", "version", "updated_at", "decided")
        ],
        "answers": [answers["n"], answers["changed"] and answers["changed"].isoformat()],
        "history": history["last"],
    }


def content_version(jurisdiction: Jurisdiction) -> str:
    """A hash of what this jurisdiction's documents are written from: it moves on every change."""
    material = {
        # loaded_at moves on every content load, so an edited clause is never served stale.
        "jurisdiction": [
            jurisdiction.pk,
            jurisdiction.name,
            jurisdiction.workbook.version,
            jurisdiction.workbook.loaded_at.isoformat(),
        ],
        "versions": answer_versions(jurisdiction),
        # The documents give the public register's address while it is published.
        "public_register": public_register_url(jurisdiction),
    }
    encoded = json.dumps(material, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()
