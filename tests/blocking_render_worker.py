"""`python -m tests.blocking_render_worker`: the export worker, with Word renders that never end.

For the test that kills a worker mid-render (tests/test_export_worker.py). Everything is the
real worker (`manage.py export_worker`, the forked renderer child) except the DOCX renderer,
which writes the child's PID to $RENDER_PID_FILE and then waits for a signal, as a render of a
huge document would hang. The lease is one second so the next worker need not wait long.
"""

import os
import signal
import sys
from pathlib import Path


def blocking_render(document) -> bytes:
    pid_file = Path(os.environ["RENDER_PID_FILE"])
    pid_file.with_suffix(".tmp").write_text(str(os.getpid()))
    pid_file.with_suffix(".tmp").replace(pid_file)
    while True:
        signal.pause()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from strategy.render import docx

    settings.EXPORT_LEASE_SECONDS = 1
    docx.render_docx = blocking_render
    call_command("export_worker", *sys.argv[1:])


if __name__ == "__main__":
    main()
