"""Every blueprint of the API, in the order the documentation lists them."""

from __future__ import annotations

from buurtwacht.alerts.routes import blp as alerts
from buurtwacht.areas.routes import blp as areas
from buurtwacht.auth.routes import blp as development
from buurtwacht.calendar.routes import blp as calendar
from buurtwacht.devices.routes import blp as devices
from buurtwacht.feeds.routes import blp as feeds
from buurtwacht.forwarding.routes import blp as forwarding
from buurtwacht.groups.routes import blp as groups
from buurtwacht.health.routes import blp as health
from buurtwacht.members.routes import blp as members
from buurtwacht.notes.routes import blp as notes
from buurtwacht.patrols.routes import blp as patrols
from buurtwacht.people.routes import blp as people
from buurtwacht.privacy.routes import blp as privacy
from buurtwacht.schedules.routes import blp as schedules
from buurtwacht.summaries.routes import blp as summaries
from buurtwacht.swaps.routes import blp as swaps

BLUEPRINTS = [
    people,
    areas,
    groups,
    members,
    patrols,
    schedules,
    swaps,
    calendar,
    notes,
    forwarding,
    alerts,
    feeds,
    devices,
    summaries,
    privacy,
    health,
    development,
]
