"""`manage.py export_worker`: django-tasks-db's `db_worker`, re-queueing abandoned exports first.

django-tasks-db leaves the task of a killed worker RUNNING for good and has no hook at worker
start, so this command is that hook. It takes every option of `db_worker`.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from strategy.exports.cache import requeue_abandoned


class Command(DatabaseWorkerCommand):
    help = "Re-queue document exports whose worker died, then run the database task worker."

    def handle(self, *args, **options) -> None:
        requeued = requeue_abandoned()
        if requeued:
            self.stdout.write(f"Queued again {len(requeued)} export(s) left by a dead worker.")
        super().handle(*args, **options)
