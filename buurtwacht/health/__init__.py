"""Liveness and readiness probes for the process manager and load balancer."""
