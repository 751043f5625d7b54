"""The audit log: the hash chain, and what auditors read and verify."""
