"""The live-selling platforms a session can be on: the code stored with the session, and the
name the window shows. The command line accepts these codes and no others."""

from __future__ import annotations

PLATFORM_NAMES = {
    "tiktok": "TikTok Shop LIVE",
    "shopee": "Shopee Live",
    "lazada": "Lazada LazLive",
    "amazon": "Amazon Live",
}
