"""Every operation's operationId, in one table: the names generated clients give their functions.

Keyed by the view's endpoint (`blueprint.ViewClass`) and HTTP method. Api.register_blueprint writes
them into the document, so no routes.py names its own. An operation missing here has no id in the
document, and tests/test_openapi.py fails naming it. Ids are camelCase verbs a mobile developer
would call (`approveMember`, `signUpForPatrol`), and stay stable: renaming one breaks every client
generated before.
"""

from __future__ import annotations

OPERATION_IDS: dict[tuple[str, str], str] = {
    # people, privacy
    ("people.Me", "get"): "getMe",
    ("people.Me", "patch"): "updateMe",
    ("privacy.MyAccount", "delete"): "deleteMyAccount",
    ("privacy.MyData", "get"): "exportMyData",
    ("privacy.AuditLog", "get"): "listAuditLog",
    # areas
    ("areas.Areas", "get"): "listAreas",
    ("areas.Areas", "post"): "createArea",
    ("areas.AreaById", "get"): "getArea",
    ("areas.AreaById", "patch"): "updateArea",
    ("areas.AreaOfficers", "get"): "listAreaOfficers",
    ("areas.AreaOfficers", "post"): "assignAreaOfficer",
    ("areas.AreaOfficer", "delete"): "removeAreaOfficer",
    # groups, members
    ("groups.Groups", "get"): "listMyGroups",
    ("groups.Groups", "post"): "createGroup",
    ("groups.GroupById", "get"): "getGroup",
    ("groups.GroupById", "patch"): "updateGroup",
    ("members.Members", "get"): "listMembers",
    ("members.Member", "patch"): "changeMemberRole",
    ("members.Member", "delete"): "removeMember",
    ("members.Approve", "post"): "approveMember",
    ("members.Reject", "post"): "rejectMember",
    ("members.Invite", "get"): "getInvite",
    ("members.Invite", "post"): "createInvite",
    ("members.Invite", "delete"): "revokeInvite",
    ("members.Joins", "post"): "joinGroup",
    # patrols, schedules, swaps, the calendar feed
    ("patrols.GroupPatrols", "get"): "listGroupPatrols",
    ("patrols.GroupPatrols", "post"): "planPatrol",
    ("patrols.PatrolById", "get"): "getPatrol",
    ("patrols.PatrolById", "patch"): "updatePatrol",
    ("patrols.Cancel", "post"): "cancelPatrol",
    ("patrols.Signup", "put"): "signUpForPatrol",
    ("patrols.Signup", "delete"): "withdrawFromPatrol",
    ("patrols.Team", "post"): "addToTeam",
    ("patrols.TeamMember", "delete"): "removeFromTeam",
    ("patrols.CheckIn", "post"): "checkIn",
    ("patrols.CheckOut", "post"): "checkOut",
    ("patrols.Complete", "post"): "completePatrol",
    ("patrols.NoShows", "post"): "markNoShows",
    ("patrols.MyPatrols", "get"): "listMyPatrols",
    ("patrols.GroupPatrolStats", "get"): "getGroupPatrolStats",
    ("patrols.MyPatrolStats", "get"): "getMyPatrolStats",
    ("schedules.GroupSchedules", "get"): "listSchedules",
    ("schedules.GroupSchedules", "post"): "createSchedule",
    ("schedules.ScheduleById", "get"): "getSchedule",
    ("schedules.ScheduleById", "patch"): "updateSchedule",
    ("schedules.ScheduleById", "delete"): "endSchedule",
    ("swaps.PatrolSwaps", "post"): "offerSwap",
    ("swaps.Accept", "post"): "acceptSwap",
    ("swaps.Decline", "post"): "declineSwap",
    ("swaps.SwapById", "delete"): "withdrawSwap",
    ("swaps.MySwaps", "get"): "listMySwaps",
    ("calendar.MyCalendar", "get"): "getCalendarFeedStatus",
    ("calendar.MyCalendar", "post"): "createCalendarFeed",
    ("calendar.MyCalendar", "delete"): "turnOffCalendarFeed",
    ("calendar.Feed", "get"): "getCalendarFeed",
    # notes
    ("notes.Categories", "get"): "listNoteCategories",
    ("notes.GroupCategories", "get"): "getGroupCategories",
    ("notes.GroupCategories", "put"): "chooseGroupCategories",
    ("notes.GroupNotes", "get"): "listGroupNotes",
    ("notes.GroupNotes", "post"): "recordNote",
    ("notes.NoteCounts", "get"): "countGroupNotes",
    ("notes.NoteExport", "get"): "exportGroupNotes",
    ("notes.NoteById", "get"): "getNote",
    ("notes.NoteById", "patch"): "editNote",
    ("notes.Share", "post"): "shareNote",
    ("notes.Status", "post"): "changeNoteStatus",
    ("notes.Review", "post"): "reviewNote",
    ("notes.Comments", "post"): "addNoteComment",
    ("notes.Photos", "post"): "addNotePhoto",
    ("notes.Photo", "get"): "getNotePhoto",
    ("forwarding.NoteForwards", "get"): "listNoteForwards",
    ("forwarding.NoteForwards", "post"): "forwardNote",
    ("forwarding.GroupForwarding", "get"): "getGroupForwarding",
    ("forwarding.GroupForwarding", "put"): "setGroupForwarding",
    # alerts, subscriptions, private alert feeds, devices
    ("alerts.Alerts", "get"): "listAlerts",
    ("alerts.Alerts", "post"): "startAlert",
    ("alerts.AlertById", "get"): "getAlert",
    ("alerts.Updates", "post"): "addAlertUpdate",
    ("alerts.Close", "post"): "closeAlert",
    ("alerts.Cancel", "post"): "cancelAlert",
    ("alerts.Tips", "get"): "listTips",
    ("alerts.Tips", "post"): "sendTip",
    ("alerts.Looking", "put"): "startLooking",
    ("alerts.Looking", "delete"): "stopLooking",
    ("alerts.Stats", "get"): "getAlertStats",
    ("alerts.Cap", "get"): "getAlertCap",
    ("alerts.AreaFeed", "get"): "getAreaAlertFeed",
    ("alerts.AreaStats", "get"): "getAreaAlertStats",
    ("alerts.MySubscriptions", "get"): "listMySubscriptions",
    ("alerts.MySubscription", "put"): "subscribeToArea",
    ("alerts.MySubscription", "delete"): "unsubscribeFromArea",
    ("feeds.MyAlertFeeds", "get"): "listMyAlertFeeds",
    ("feeds.MyAlertFeed", "post"): "createAlertFeed",
    ("feeds.MyAlertFeed", "delete"): "turnOffAlertFeed",
    ("feeds.Feed", "get"): "getAlertFeed",
    ("feeds.FeedCap", "get"): "getAlertFeedCap",
    ("devices.Devices", "get"): "listMyDevices",
    ("devices.DeviceById", "put"): "registerDevice",
    ("devices.DeviceById", "delete"): "unregisterDevice",
    # summaries, probes
    ("summaries.Summary", "get"): "getMonthlySummary",
    ("summaries.Resend", "post"): "resendMonthlySummary",
    ("health.Alive", "get"): "checkAlive",
    ("health.Ready", "get"): "checkReady",
}


def operation_id(endpoint: str, method: str) -> str | None:
    """The id of the operation `method` (lower case) on the view `endpoint`, or None if the table lacks it."""
    return OPERATION_IDS.get((endpoint, method))
