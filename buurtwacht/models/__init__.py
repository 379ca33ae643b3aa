"""The typed SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from buurtwacht.models.alert import (
    Alert,
    AlertArea,
    AlertEvent,
    AlertKind,
    AlertRecipient,
    AlertResponder,
    AlertStatus,
    AlertTip,
    Broadcast,
    Outcome,
    Severity,
)
from buurtwacht.models.area import Area, AreaKind, OfficerAssignment
from buurtwacht.models.calendar import CalendarFeed
from buurtwacht.models.change import TableVersion
from buurtwacht.models.delivery import Delivery, DeliveryStatus
from buurtwacht.models.device import AddressKind, AreaSubscription, Device, Platform
from buurtwacht.models.email import Email
from buurtwacht.models.erasure import ErasedAccount
from buurtwacht.models.feed import AlertFeed
from buurtwacht.models.forward import ForwardingPolicy, ForwardStatus, NoteForward
from buurtwacht.models.group import Group, GroupInvite
from buurtwacht.models.job import JobMark, JobRun
from buurtwacht.models.membership import Membership, MembershipEvent, MembershipRole, MembershipStatus
from buurtwacht.models.note import (
    CalledBy,
    CalledService,
    GroupCategory,
    Note,
    NoteAccess,
    NoteComment,
    NoteEvent,
    NotePhoto,
    NoteStatus,
    NoteTally,
    Urgency,
)
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
from buurtwacht.models.rollup import NoteMonthCount

__all__ = [
    "AddressKind",
    "Alert",
    "AlertArea",
    "AlertEvent",
    "AlertFeed",
    "AlertKind",
    "AlertRecipient",
    "AlertResponder",
    "AlertStatus",
    "AlertTip",
    "Area",
    "AreaKind",
    "AreaSubscription",
    "Broadcast",
    "CalendarFeed",
    "CalledBy",
    "CalledService",
    "Delivery",
    "DeliveryStatus",
    "Device",
    "Email",
    "ErasedAccount",
    "ForwardStatus",
    "ForwardingPolicy",
    "Group",
    "GroupCategory",
    "GroupInvite",
    "JobMark",
    "JobRun",
    "Locale",
    "Membership",
    "MembershipEvent",
    "MembershipRole",
    "MembershipStatus",
    "Note",
    "NoteAccess",
    "NoteComment",
    "NoteEvent",
    "NoteForward",
    "NoteMonthCount",
    "NotePhoto",
    "NoteStatus",
    "NoteTally",
    "Notification",
    "OfficerAssignment",
    "Outcome",
    "Patrol",
    "PatrolEvent",
    "PatrolSchedule",
    "PatrolSignup",
    "PatrolStatus",
    "Person",
    "Platform",
    "Severity",
    "SignupStatus",
    "SwapRequest",
    "SwapStatus",
    "TableVersion",
    "Urgency",
]
