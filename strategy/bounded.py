"""Run one render in a child process with a time and size limit.

A runaway layout (a huge table, a pathological answer) must not take the web process or the
worker with it: the child is killed at the time limit, and an oversized result is refused.
The child is forked after the document is composed, so it never touches the database.
"""

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

_OK, _ERROR = b"\x00", b"\x01"


class RenderFailed(Exception):
    """The render broke a limit or raised; the message is shown to the user."""


def _child(connection, func: Callable[..., bytes], args: tuple[Any, ...], max_bytes: int) -> None:
    try:
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
    func: Callable[..., bytes], *args: Any, time_limit: float, max_bytes: int
) -> bytes:
    """`func(*args)` in a forked child; RenderFailed past `time_limit` s or `max_bytes`."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args, max_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(time_limit):
            raise RenderFailed(f"it took longer than the {time_limit:g}-second limit")
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
