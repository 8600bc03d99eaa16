"""Capture sources read with OpenCV (files, network streams, devices), the frame reader and the
recording scan."""
