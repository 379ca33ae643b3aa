"""The monthly summary (maandoverzicht) for the wijkagent and the coordinators."""
