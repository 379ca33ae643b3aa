"""Privacy: data is kept no longer than needed."""
