"""Forwarding notes to the municipality's public-space reports (Signalen, Open311) and bringing its answer back."""
