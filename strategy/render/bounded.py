"""Run one render in a child process with a time and size limit.

A runaway layout (a huge table, a pathological answer) must not take the web process or the
worker with it: the child is killed at the time limit, and an oversized result is refused.
The child is forked after the document is composed, so it never touches the database.
The child also dies with the process that forked it: a worker killed mid-render leaves no
renderer behind.
"""

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

_OK, _ERROR = b"\x00", b"\x01"
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class RenderFailed(Exception):
    """The render broke a limit or raised; the message is shown to the user."""


def _die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this child as soon as its parent dies (Linux).

    Otherwise a killed worker leaves the renderer running, holding its memory and blocked on a
    pipe nobody reads. The signal follows the thread that forked: render_bounded waits in that
    thread until the child is gone, so it never fires early.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        # The parent died between fork and prctl: nobody is left to read the result.
        os._exit(1)


def _child(
    parent_pid: int,
    receiver,
    connection,
    func: Callable[..., bytes],
    args: tuple[Any, ...],
    max_bytes: int,
) -> None:
    try:
        # Forked from the worker: drop its graceful-shutdown handlers so SIGTERM and SIGINT
        # end the render, and its end of the pipe so a dead parent means a broken pipe here.
        for name in ("SIGTERM", "SIGINT", "SIGQUIT"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        receiver.close()
        _die_with_parent(parent_pid)
        data = func(*args)
        if len(data) > max_bytes:
            message = f"the file would be {len(data) // 1_000_000} MB, over the limit"
            connection.send_bytes(_ERROR + message.encode())
        else:
            connection.send_bytes(_OK + data)
    except BaseException as exc:  # noqa: BLE001 - report anything back to the parent
        connection.send_bytes(_ERROR + f"{type(exc).__name__}: {exc}".encode()[:2000])
    finally:
        connection.close()
        # Skip interpreter clean-up: the inherited database connection belongs to the parent.
        os._exit(0)


def render_bounded(
    func: Callable[..., bytes],
    *args: Any,
    time_limit: float,
    max_bytes: int,
    heartbeat: Callable[[], None] | None = None,
    heartbeat_every: float = 10.0,
) -> bytes:
    """`func(*args)` in a forked child; RenderFailed past `time_limit` s or `max_bytes`.

    While the child renders, `heartbeat()` is called every `heartbeat_every` seconds; an
    exception from it kills the child and propagates.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(os.getpid(), receiver, sender, func, args, max_bytes), daemon=True
    )
    process.start()
    sender.close()
    try:
        _wait_for_result(receiver, time_limit, heartbeat, heartbeat_every)
        try:
            message = receiver.recv_bytes(maxlength=max_bytes + 1)
        except (EOFError, OSError) as exc:
            raise RenderFailed("the renderer stopped without a result") from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if message[:1] == _ERROR:
        raise RenderFailed(message[1:].decode(errors="replace"))
    return message[1:]


def _wait_for_result(
    receiver, time_limit: float, heartbeat: Callable[[], None] | None, every: float
) -> None:
    deadline = time.monotonic() + time_limit
    while not receiver.poll(max(0.0, min(every, deadline - time.monotonic()))):
        if time.monotonic() >= deadline:
            raise RenderFailed(f"it took longer than the {time_limit:g}-second limit")
        if heartbeat is not None:
            heartbeat()
