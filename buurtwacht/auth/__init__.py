"""Sign-in: Firebase ID tokens verified by firebase-admin, and the local development key."""
