"""Swaps: a volunteer hands their place on a patrol to another, optionally taking theirs in return."""
