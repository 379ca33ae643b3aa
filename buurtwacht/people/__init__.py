"""People: the signed-in person's own profile, roles and memberships."""
