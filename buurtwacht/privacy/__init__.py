"""Privacy: data is kept no longer than needed, and each person can take their data with them or erase it."""
