"""Who is reached and the public figures: turnout per district, day and channel.

``eligible`` keeps staff's number of eligible residents per district of a round; ``reach``
counts the ballots (on top of ``services.voting.turnout``) and marks the districts that fall
behind. Counts only, never what is on a ballot; public only once voting has closed
(``reach.is_public``).
"""
