"""Demo data for `flask --app wijkfonds demo`: reference data, residents, plans, a round in voting."""
