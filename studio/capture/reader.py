"""Reading a source on its own thread, into a small bounded queue.

Decoding is the expensive part of watching a feed; it gets a thread to itself so that it never
waits for the analysis of the previous frame. The queue is small so that a slow consumer holds
back only a few frames (and memory), not the whole recording. The scan uses it; the live capture
worker reuses it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from studio.capture.sources import Frame, VideoSource
from studio.core.background import Background


class FrameReader(Background):
    """``with FrameReader(source) as reader: for frame in reader: ...``

    The iteration ends at the end of the stream, after ``stop()``, or by raising the error the
    reading thread met. Leaving the ``with`` block stops the thread and waits for it.
    """

    def __init__(self, source: VideoSource, *, queue_size: int = 8) -> None:
        super().__init__("frame-reader")
        self.source = source
        self._queue: queue.Queue[Frame] = queue.Queue(maxsize=queue_size)
        self._done = threading.Event()
        self._error: BaseException | None = None

    def __enter__(self) -> FrameReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.request_stop()  # frames already queued could still be iterated
        self.join()

    def __iter__(self) -> Iterator[Frame]:
        while True:
            frame = self.poll(0.05)
            if frame is not None:
                yield frame
            elif self.ended:
                self._raise_error()
                break

    @property
    def ended(self) -> bool:
        """The thread has stopped and every frame it read has been taken."""
        # `done` is set after the last put, so an empty queue now means the end.
        return self._done.is_set() and self._queue.empty()

    def poll(self, timeout: float) -> Frame | None:
        """The next frame, or None if none came within `timeout` seconds (or the reading
        ended: see `ended`). Raises the error the reading thread met, once all its frames
        have been taken."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            if self.ended:
                self._raise_error()
            return None

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                if frame is None or not self._put(frame):
                    break
        except BaseException as exc:  # handed to the consuming thread, raised there
            self._error = exc
        finally:
            self._done.set()

    def _put(self, frame: Frame) -> bool:
        """Wait for room, checking now and then whether the consumer gave up."""
        while not self._stop.is_set():
            try:
                self._queue.put(frame, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False
