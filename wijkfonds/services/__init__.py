"""Plain functions for every write and every rule across entities."""
