"""Media: photos residents upload (checked, re-encoded, stored by content hash) and their moderation."""
