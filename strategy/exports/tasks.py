"""Background rendering of exports (django.tasks; the django-tasks-db worker in production)."""

from django.tasks import task

from strategy.exports.render import run_export

# Renders nobody is waiting for (the drafts' pre-render) give way to those someone asked for.
BACKGROUND_PRIORITY = -50


@task()
def render_export(export_id: int) -> None:
    """Render one queued export and store the file (or the reason it failed)."""
    run_export(export_id)
