"""Needs and stories: the board (post, herkenbaar, replies), moderation, staff's answers, the plans
that answer a need, the matrix of districts by building blocks and functions, and the privacy part."""
