"""The database set-up per dialect, and the driver-level path of election night's busiest statements."""
