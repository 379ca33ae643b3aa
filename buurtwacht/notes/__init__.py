"""Notes (waarnemingen): what volunteers see on the street, and where it belongs."""
