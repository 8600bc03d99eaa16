"""Capture devices by name (cv2-enumerate-cameras), and how `studio health-scan` uses them."""

from __future__ import annotations

import sys
import types

import cv2
import numpy as np
import pytest

from studio.capture import devices as devices_module
from studio.capture.devices import Device, describe_devices, find_device, list_devices
from studio.capture.scan import scan
from studio.capture.sources import Frame, SourceError, SourceSpec, VideoSource, open_source
from studio.cli import main


class Camera:
    def __init__(self, index: int, name: str, backend: int) -> None:
        self.index, self.name, self.backend = index, name, backend


def fake_library(monkeypatch, cameras: dict[int, list[tuple[int, str]]], failing=()) -> list:
    """cv2_enumerate_cameras as it answers for each backend; returns the backends asked."""
    asked = []

    def enumerate_cameras(backend=cv2.CAP_ANY):
        asked.append(backend)
        if backend in failing:
            raise OSError("the platform did not answer")
        return [Camera(i, n, backend) for i, n in cameras.get(backend, [])]

    module = types.ModuleType("cv2_enumerate_cameras")
    module.enumerate_cameras = enumerate_cameras
    module.supported_backends = tuple(cameras)
    monkeypatch.setitem(sys.modules, "cv2_enumerate_cameras", module)
    return asked


def test_devices_are_listed_once_with_the_index_that_opens_them(monkeypatch):
    # Linux: the library knows V4L2 and GStreamer, and would list /dev/video0 under both.
    asked = fake_library(monkeypatch, {
        cv2.CAP_GSTREAMER: [(0, "HD Pro Webcam C920"), (2, "OBS Virtual Camera")],
        cv2.CAP_V4L2: [(2, "OBS Virtual Camera"), (0, "HD Pro Webcam C920"), (0, "dup")],
    })
    assert list_devices() == [Device(0, "HD Pro Webcam C920", cv2.CAP_V4L2),
                              Device(2, "OBS Virtual Camera", cv2.CAP_V4L2)]
    assert asked == [cv2.CAP_V4L2]  # OpenCV's own first choice for a bare index


def test_a_backend_that_fails_falls_back_and_no_library_is_no_devices(monkeypatch):
    fake_library(monkeypatch, {cv2.CAP_MSMF: [(0, "Cam Link 4K")], cv2.CAP_DSHOW: [(0, "x")]},
                 failing=(cv2.CAP_MSMF,))
    assert [d.name for d in list_devices()] == ["x"]
    monkeypatch.setitem(sys.modules, "cv2_enumerate_cameras", None)  # import fails
    assert list_devices() == []
    assert str(describe_devices()) == "no capture devices were found on this machine"


def test_a_device_is_found_by_its_name_or_a_unique_part_of_it():
    here = [Device(0, "HD Pro Webcam C920", 200), Device(2, "OBS Virtual Camera", 200),
            Device(3, "OBS Virtual Camera 2", 200)]
    assert find_device("hd pro webcam c920", here) == here[0]
    assert find_device("webcam", here) == here[0]
    assert find_device("OBS Virtual Camera", here) == here[1]  # exact beats partial
    assert find_device("obs", here) is None  # two match: ambiguous
    assert find_device("  ", here) is None
    assert str(describe_devices(here[:2])) == (
        "the capture devices here are 0 (HD Pro Webcam C920), 2 (OBS Virtual Camera)")


@pytest.fixture
def two_devices(monkeypatch):
    here = [Device(90, "HD Pro Webcam C920", 200), Device(92, "OBS Virtual Camera", 200)]
    monkeypatch.setattr(devices_module, "list_devices", lambda: here)
    monkeypatch.setattr("studio.capture.sources.list_devices", lambda: here)
    monkeypatch.setattr("studio.capture.sources.describe_devices",
                        lambda: devices_module.describe_devices(here))
    return here


def test_a_device_that_cannot_be_opened_names_itself_and_the_devices_here(two_devices):
    # Indices 90 and 92 name no real device on any test machine: opening them fails.
    with pytest.raises(SourceError) as info:
        open_source("90")
    assert str(info.value) == (
        "device 90 (HD Pro Webcam C920): cannot be opened (in use by another program, or not "
        "there); the capture devices here are 90 (HD Pro Webcam C920), 92 (OBS Virtual Camera)")


def test_health_scan_takes_a_device_by_name(two_devices, capsys):
    assert main(["health-scan", "obs virtual"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("studio: device 92 (OBS Virtual Camera): cannot be opened")
    assert main(["health-scan", "Elgato"]) == 1
    err = capsys.readouterr().err
    assert err == ("studio: Elgato: no such file, and no capture device is called that; the "
                   "capture devices here are 90 (HD Pro Webcam C920), 92 (OBS Virtual Camera)\n")


class FakeDevice(VideoSource):
    """A device that gives frames until the user presses Ctrl+C."""

    def __init__(self, frames: int) -> None:
        self.spec = SourceSpec("device", 0)
        self.label = "device 0 (Fake Cam)"
        self.luma, self.luma_range, self.declared_fps, self.frame_count = True, "limited", 30, None
        self._left = frames
        self._t = 0.0

    def read(self) -> Frame | None:
        if self._left == 0:
            raise KeyboardInterrupt
        self._left -= 1
        self._t += 1 / 30
        return Frame(np.random.default_rng(self._left).integers(0, 255, (48, 64), np.uint8),
                     self._t)

    def close(self) -> None:
        pass


def test_ctrl_c_ends_the_scan_of_a_live_source_with_what_it_saw():
    result = scan(FakeDevice(90))
    assert (result.source, result.frames, result.width) == ("device 0 (Fake Cam)", 90, 64)
    assert result.fps_nominal == pytest.approx(30)
