"""A person's private iCalendar feed of their patrols, for calendar apps to subscribe to."""
