"""`make test`: run pytest on PostgreSQL, starting a throwaway server when none answers.

A newcomer's machine may have PostgreSQL installed but not running, or running elsewhere. When
nothing answers at DATABASE_URL, this starts a private cluster from the installed server
binaries (a data directory under .pgtest/, a free port on 127.0.0.1), runs the suite against it
and stops it afterwards. Arguments are passed on to pytest.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/workbook"
SERVER_PACKAGE = "postgresql"  # Debian's package with initdb and pg_ctl


def answers(url: str) -> bool:
    """Whether a PostgreSQL server accepts connections at `url` (its maintenance database)."""
    parts = urlsplit(url)
    try:
        psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        return False
    return True


def server_binaries() -> Path | None:
    """The newest installed server's bin directory (Debian keeps it off PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def throwaway_server(binaries: Path):
    """A private PostgreSQL on a free port; yields its URL and removes it afterwards."""
    (ROOT / ".pgtest").mkdir(exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="cluster-", dir=ROOT / ".pgtest"))
    # PostgreSQL refuses to run as root: run it as the postgres user when there is one.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        data.chmod(0o700)
        shutil.chown(data, "postgres")
        for parent in (ROOT / ".pgtest", ROOT):
            parent.chmod(parent.stat().st_mode | 0o011)  # traversable by the server
    port = free_port()
    run = {"check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(
        [*as_user, binaries / "initdb", "-D", data, "-U", "postgres", "--auth=trust"], **run
    )
    subprocess.run(
        [
            *as_user,
            binaries / "pg_ctl",
            "-D",
            data,
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {data}",
            "-l",
            data / "server.log",
            "-w",
            "start",
        ],
        **run,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/workbook"
    finally:
        subprocess.run([*as_user, binaries / "pg_ctl", "-D", data, "-m", "fast", "stop"], **run)
        shutil.rmtree(data, ignore_errors=True)


def main(args: list[str]) -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    pytest = [sys.executable, "-m", "pytest", *args]
    if answers(url):
        return subprocess.run(pytest, env={**os.environ, "DATABASE_URL": url}).returncode
    binaries = server_binaries()
    if binaries is None:
        print(
            f"No PostgreSQL answers at {url}, and no PostgreSQL server is installed to start "
            f"one: install the '{SERVER_PACKAGE}' package (apt-get install {SERVER_PACKAGE}), "
            "or set DATABASE_URL to a server you can reach.",
            file=sys.stderr,
        )
        return 2
    print(f"No PostgreSQL answers at {url}: starting a throwaway server for this run.")
    with throwaway_server(binaries) as throwaway_url:
        print(f"Throwaway PostgreSQL at {throwaway_url}; it is stopped when the tests end.")
        env = {**os.environ, "DATABASE_URL": throwaway_url}
        return subprocess.run(pytest, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
