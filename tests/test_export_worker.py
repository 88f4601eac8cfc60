"""A worker killed mid-render: its renderer dies with it, and the next worker finishes the export.

Real processes: the worker runs as a subprocess against the test database, its render blocks
(tests/blocking_render_worker.py), and it is killed with SIGKILL, which nothing can catch.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from strategy.models import Export
from strategy.render.bounded import RenderFailed, render_bounded
from tests.test_export import request_export

ROOT = Path(__file__).resolve().parent.parent
WORKER_OPTIONS = ["--no-reload", "--no-startup-delay", "--interval", "0.2"]


def worker_env() -> dict[str, str]:
    """This process's environment, pointed at the test database."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    url = f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.update(DEBUG="0", TASKS_BACKEND="database")
    return env


def wait_for(condition, timeout: float, what: str, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    output = "\n".join(f"--- {log.name}\n{log.read_text()}" for log in logs if log.exists())
    raise AssertionError(f"{what}: not within {timeout} s\n{output}")


def running(pid: int) -> bool:
    """The process exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def read_pid(path: Path) -> int | None:
    return int(path.read_text()) if path.exists() else None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and prctl")
def test_a_killed_worker_leaves_no_renderer_and_the_next_worker_finishes_the_export(
    client, demo, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, capture=django_capture_on_commit_callbacks)
    pid_file, logs = tmp_path / "render.pid", [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    started: list[subprocess.Popen] = []
    renderer = None

    def start(command: list[str], log: Path, **env) -> subprocess.Popen:
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=worker_env() | env, stdout=out, stderr=subprocess.STDOUT
            )
        started.append(process)
        return process

    try:
        worker = start(
            [sys.executable, "-m", "tests.blocking_render_worker", *WORKER_OPTIONS],
            logs[0],
            RENDER_PID_FILE=str(pid_file),
        )
        renderer = wait_for(lambda: read_pid(pid_file), 20, "the render starts", logs)
        assert Export.objects.get(pk=export.pk).status == Export.Status.RUNNING

        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(5)
        wait_for(lambda: not running(renderer), 5, "the renderer dies with its worker", logs)

        # The dead worker's lease runs out (it renewed it every third of a second), then the
        # next worker starts: the user's page goes on to "done" with no new request.
        lease = Export.objects.get(pk=export.pk).lease_expires_at
        wait_for(lambda: timezone.now() > lease, 5, "the lease runs out", logs)
        start([sys.executable, "manage.py", "export_worker", *WORKER_OPTIONS], logs[1])

        def done() -> bool:
            return Export.objects.get(pk=export.pk).status == Export.Status.DONE

        wait_for(done, 20, "the next worker renders the export", logs)
        status = client.get(f"/j/riverton/exports/{export.pk}/status.json").json()
        assert status["status"] == "done" and status["download_url"]
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait(5)
        if renderer is not None and running(renderer):
            os.kill(renderer, signal.SIGKILL)


def _terminate_self() -> bytes:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)
    return b"the render outlived SIGTERM"


def test_a_renderer_does_not_keep_its_workers_shutdown_handler():
    """SIGTERM ends a render even though the worker forking it handles SIGTERM gracefully."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        with pytest.raises(RenderFailed, match="stopped without a result"):
            render_bounded(_terminate_self, time_limit=3, max_bytes=1000)
    finally:
        signal.signal(signal.SIGTERM, previous)
