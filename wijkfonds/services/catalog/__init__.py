"""Reference data: districts, themes and the building blocks."""
