"""Burgernet-style alerts: a call-out to the people of an area, tips back, updates, and a result."""
