""" "This jurisdiction's workbook changed": one signal, sent by every action that changes what
its documents say (answers, use cases, approvals, the register's publication).

It is sent once the change is committed, so a listener never sees a change that was rolled
back. The documents listen to render their drafts ahead of the next export; `workbook/`
never imports `strategy/`, so the signal is the seam between them.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from workbook.models import Jurisdiction

# Sent with `jurisdiction`, the Jurisdiction whose workbook changed.
workbook_changed = Signal()


def announce_change(jurisdiction: Jurisdiction) -> None:
    """Tell the listeners, after the current transaction commits, that the workbook changed."""
    transaction.on_commit(
        partial(workbook_changed.send, sender=Jurisdiction, jurisdiction=jurisdiction)
    )
