"""Voting: codes, ballots and receipts, the voting pages' snapshots, turnout."""
