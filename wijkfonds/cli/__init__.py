"""The flask commands: users, demo data, audit verification, pabulib import."""
