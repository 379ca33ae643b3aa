"""Patrols (surveillancerondes): planning, the roster, check-in and -out, and hours walked."""
