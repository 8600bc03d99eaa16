"""What the codes are called, for people: one table per kind of code, each name marked N_()
for the catalog and translated with _() where it is shown (the window, the command line).

The codes themselves are data and stay as they are in the database, the JSON and the logs.
"""

from __future__ import annotations

from studio.core.message import N_

MODE_NAMES = {"live": N_("live"), "replay": N_("replay")}

# The funnel's stages (metrics FUNNEL_STAGES), as the funnel and the warnings name them.
STAGE_NAMES = {
    "viewers": N_("Viewers"),
    "clicked": N_("Clicked"),
    "carted": N_("Carted"),
    "ordered": N_("Ordered"),
    "paid": N_("Paid"),
}

# Comment categories (comments CATEGORIES).
CATEGORY_NAMES = {
    "logistics": N_("Shipping, returns, payment"),
    "price": N_("Price"),
    "product": N_("Product"),
    "usage": N_("Usage"),
    "chitchat": N_("Chitchat"),
    "other": N_("Other"),
}

# Traffic sources (events SOURCES), and "unknown" for viewers whose joins named none.
SOURCE_NAMES = {
    "organic": N_("organic"),
    "search": N_("search"),
    "social": N_("social"),
    "ads": N_("ads"),
    "influencer": N_("influencer"),
    "follow_feed": N_("follow feed"),
    "other": N_("other"),
    "unknown": N_("unknown"),
}

# The health monitor's incidents and the reasons its status is not OK (core.health).
INCIDENT_NAMES = {
    "freeze": N_("Freeze"),
    "black": N_("Black picture"),
    "signal_lost": N_("Signal lost"),
    "low_res": N_("Low resolution"),
}
REASON_NAMES = {
    "freeze": N_("picture frozen"),
    "black": N_("black picture"),
    "signal_lost": N_("no signal"),
    "drops": N_("dropping frames"),
    "fps": N_("frame rate low"),
    "low_res": N_("below target resolution"),
}
STATUS_NAMES = {"OK": N_("OK"), "WARN": N_("WARN"), "CRIT": N_("CRIT")}  # the light's word
