"""Capture devices with their human names (cameras, capture cards, OBS's virtual camera).

cv2-enumerate-cameras asks the platform (V4L2 on Linux, Media Foundation/DirectShow on
Windows, AVFoundation on macOS) for each device's name and index; a machine without devices,
or a platform it cannot ask, gives an empty list, never an error.

The devices are listed for one backend: the one OpenCV itself tries first when it opens a
bare index (`cv2.VideoCapture(0)`), so that the index shown next to a name is the index that
opens it. (Asked for every backend at once, the library lists each camera once per backend,
with the backend folded into the index: 200 and 1800 for the same /dev/video0.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from studio.core.message import N_, Message, message

log = logging.getLogger(__name__)

# The order in which OpenCV's own CAP_ANY tries camera backends on each platform.
_PREFERRED_BACKENDS = ("CAP_V4L2", "CAP_MSMF", "CAP_AVFOUNDATION", "CAP_DSHOW", "CAP_GSTREAMER")


@dataclass(frozen=True, slots=True)
class Device:
    index: int  # what cv2.VideoCapture(index) opens (and `studio health-scan INDEX`)
    name: str
    backend: int

    def __str__(self) -> str:
        return f"{self.index} ({self.name})"


def list_devices() -> list[Device]:
    try:
        import cv2
        from cv2_enumerate_cameras import enumerate_cameras, supported_backends
    except Exception as exc:  # not installed, or a platform it has no backend for
        log.info("capture devices could not be listed: %s", exc)
        return []
    for name in _PREFERRED_BACKENDS:
        backend = getattr(cv2, name, None)
        if backend is None or backend not in supported_backends:
            continue
        try:
            cameras = list(enumerate_cameras(backend))
        except Exception as exc:  # the platform refused to answer: try the next backend
            log.info("capture devices could not be listed through %s: %s", name, exc)
            continue
        devices: dict[int, Device] = {}
        for camera in cameras:
            index = int(camera.index)
            if index not in devices:
                devices[index] = Device(index, str(camera.name or f"camera {index}"), backend)
        return sorted(devices.values(), key=lambda d: d.index)
    return []


def find_device(text: str, devices: list[Device] | None = None) -> Device | None:
    """The device named `text` (any letter case; a unique part of a name will do)."""
    devices = list_devices() if devices is None else devices
    wanted = text.strip().casefold()
    if not wanted:
        return None
    exact = [d for d in devices if d.name.casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = [d for d in devices if wanted in d.name.casefold()]
    return partial[0] if len(partial) == 1 else None


def describe_devices(devices: list[Device] | None = None) -> Message:
    """For messages: the devices here, or that there are none."""
    devices = list_devices() if devices is None else devices
    if not devices:
        return message(N_("no capture devices were found on this machine"))
    return message(N_("the capture devices here are {devices}"),
                   devices=", ".join(str(d) for d in devices))
