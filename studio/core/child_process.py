"""Run a generator in a child process and iterate over what it yields, a few items ahead.

A large import parses rows in pure Python while SQLite inserts them. Threads cannot overlap the
two: sqlite3 releases the GIL around every row's sqlite3_step, and the parsing thread then holds
it for a whole switch interval, so the two take turns at the speed of the slower. A child
process parses on the other core instead. The child is spawned (not forked): the parent may be
running the database writer and Qt threads, which a fork would copy in an undefined state.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Iterator
from typing import Any

_DONE = "done"
_ITEM = "item"
_FAILED = "failed"


class ChildFailed(RuntimeError):
    """The child raised something that could not be sent back as itself."""


def _child_main(handoff: Any, factory: Callable[..., Iterator[Any]], args: tuple) -> None:
    try:
        for item in factory(*args):
            handoff.put((_ITEM, item))
        handoff.put((_DONE, None))
    except BaseException as exc:  # sent to the parent, raised there
        try:
            handoff.put((_FAILED, exc))
        except Exception:  # unpicklable exception: send its text
            handoff.put((_FAILED, ChildFailed("".join(traceback.format_exception(exc)))))


def iterate_in_child(
    factory: Callable[..., Iterator[Any]], *args: Any, depth: int = 4
) -> Iterator[Any]:
    """Yield what `factory(*args)` yields, computed in a spawned child process.

    `factory` must be importable (a module-level function or class) and everything it yields
    picklable. An exception in the child is raised here. Closing this generator early stops
    the child.
    """
    context = multiprocessing.get_context("spawn")
    handoff = context.Queue(maxsize=depth)
    child = context.Process(target=_child_main, args=(handoff, factory, args), daemon=True)
    child.start()
    try:
        while True:
            try:
                tag, payload = handoff.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    died = f"the worker process died (exit code {child.exitcode})"
                    raise ChildFailed(died) from None
                continue
            if tag == _ITEM:
                yield payload
            elif tag == _DONE:
                return
            else:
                raise payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        handoff.close()
        handoff.join_thread()
