"""Private Atom feeds of an area's alerts, for feed readers that cannot send a bearer token."""
