"""Recurring patrol schedules: a recurrence rule in local time that makes patrols weeks ahead."""
