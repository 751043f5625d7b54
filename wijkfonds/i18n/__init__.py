"""Languages: the catalogues in use per request, and the check for missing translations."""
