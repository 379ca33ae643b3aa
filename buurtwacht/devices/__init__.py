"""Devices: the phones (and browsers) that receive a person's pushes."""
