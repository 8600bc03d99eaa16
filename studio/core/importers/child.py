"""Parse a large file in a child process and hand its batches to the writer as they come.

A large import parses rows in pure Python while SQLite inserts them. Threads cannot overlap the
two (sqlite3 releases the GIL around every row's step, and the parsing thread then holds it for
a whole switch interval), so the parser runs in a spawned child on the other core. Spawned, not
forked: the parent runs the database writer and maybe Qt, which a fork would copy mid-flight.

The batches travel through a one-way pipe whose writing end only the child holds. If the child
dies (killed for memory, crashed), the parent's read ends with end-of-file and the import fails
with a message. (A multiprocessing.Queue keeps a writing end in the parent too: a child killed
in the middle of a batch then leaves the parent waiting forever for the rest of it, inside the
writer's open transaction, which stops every other write of the app.)
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from studio.core.message import N_, Message, message

_DONE = "done"
_ITEM = "item"
_FAILED = "failed"


class ChildFailed(RuntimeError):
    """The child died, or raised something that could not be sent back as itself (then the
    argument is its traceback's text)."""

    def reason(self) -> Message | str:
        """What to tell the user: how the child died, or the last line of its traceback."""
        said = self.args[0] if self.args else ""
        return said if isinstance(said, Message) else str(said).strip().splitlines()[-1]


def _died(child: Any) -> ChildFailed:
    return ChildFailed(message(N_("the parsing process died (exit code {code})"),
                               code=child.exitcode))


def _child_main(writer: Any, factory: Callable[..., Iterator[Any]], args: tuple) -> None:
    try:
        try:
            for item in factory(*args):
                writer.send((_ITEM, item))
            writer.send((_DONE, None))
        except BaseException as exc:  # sent to the parent, raised there
            try:
                writer.send((_FAILED, exc))
            except Exception:  # unpicklable exception: send its text
                text = "".join(traceback.format_exception(exc))
                writer.send((_FAILED, ChildFailed(text)))
    except (BrokenPipeError, EOFError, OSError):
        pass  # the parent has gone (it stopped the import): nobody to tell
    finally:
        writer.close()


def iterate_in_child(factory: Callable[..., Iterator[Any]], *args: Any,
                     poll_s: float = 1.0) -> Iterator[Any]:
    """Yield what `factory(*args)` yields, computed in a spawned child process.

    `factory` must be importable (a module-level function) and everything it yields picklable.
    An exception in the child is raised here; a child that dies raises ChildFailed. Closing
    this generator early stops the child.
    """
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(writer, factory, args), daemon=True)
    child.start()
    writer.close()  # the child's copy is now the only writing end: its death is an end of file
    try:
        while True:
            if not reader.poll(poll_s):
                if not child.is_alive() and not reader.poll(0):
                    raise _died(child)
                continue
            try:
                tag, payload = reader.recv()
            except (EOFError, OSError):  # died, maybe in the middle of a batch
                child.join(5)
                raise _died(child) from None
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
        reader.close()
