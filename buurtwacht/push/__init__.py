"""Push: the outbox of notifications and (later) its delivery through FCM."""
