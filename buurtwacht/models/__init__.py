"""The typed SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from buurtwacht.models.area import Area, AreaKind, OfficerAssignment
from buurtwacht.models.group import Group, GroupInvite
from buurtwacht.models.membership import Membership, MembershipEvent, MembershipRole, MembershipStatus
from buurtwacht.models.person import Locale, Person

__all__ = [
    "Area",
    "AreaKind",
    "Group",
    "GroupInvite",
    "Locale",
    "Membership",
    "MembershipEvent",
    "MembershipRole",
    "MembershipStatus",
    "OfficerAssignment",
    "Person",
]
