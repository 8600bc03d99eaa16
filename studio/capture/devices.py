"""Capture devices with their human names (cameras, capture cards, OBS's virtual camera).

cv2-enumerate-cameras asks the platform (V4L2 on Linux, Media Foundation/DirectShow on
Windows, AVFoundation on macOS) for each device's name and the index OpenCV opens it by; a
machine without devices, or a platform it cannot ask, gives an empty list, never an error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Device:
    index: int  # what cv2.VideoCapture(index, backend) opens
    name: str
    backend: int


def list_devices() -> list[Device]:
    try:
        from cv2_enumerate_cameras import enumerate_cameras

        cameras = list(enumerate_cameras())
    except Exception as exc:  # a platform the library cannot ask: no names, not a failure
        log.info("capture devices could not be listed: %s", exc)
        return []
    seen: set[int] = set()
    devices = []
    for camera in cameras:
        if camera.index in seen:
            continue
        seen.add(camera.index)
        devices.append(Device(int(camera.index), str(camera.name or camera.index),
                              int(camera.backend)))
    return devices
