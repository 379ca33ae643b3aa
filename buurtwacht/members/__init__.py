"""Members: invite codes, joining, approval, roles, leaving and removal."""
