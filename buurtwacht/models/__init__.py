"""The typed SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from buurtwacht.models.area import Area, AreaKind, OfficerAssignment
from buurtwacht.models.calendar import CalendarFeed
from buurtwacht.models.group import Group, GroupInvite
from buurtwacht.models.membership import Membership, MembershipEvent, MembershipRole, MembershipStatus
from buurtwacht.models.notification import Notification
from buurtwacht.models.patrol import (
    Patrol,
    PatrolEvent,
    PatrolSchedule,
    PatrolSignup,
    PatrolStatus,
    SignupStatus,
    SwapRequest,
    SwapStatus,
)
from buurtwacht.models.person import Locale, Person

__all__ = [
    "Area",
    "AreaKind",
    "CalendarFeed",
    "Group",
    "GroupInvite",
    "Locale",
    "Membership",
    "MembershipEvent",
    "MembershipRole",
    "MembershipStatus",
    "Notification",
    "OfficerAssignment",
    "Patrol",
    "PatrolEvent",
    "PatrolSchedule",
    "PatrolSignup",
    "PatrolStatus",
    "Person",
    "SignupStatus",
    "SwapRequest",
    "SwapStatus",
]
