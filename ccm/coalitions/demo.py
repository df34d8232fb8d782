"""Demo coalitions (filled in below)."""
