"""Following plans and notifications by mail (issue 13).

Who follows a plan (``follows``): whoever chose to, and by default its author and its
supporters, unless they turned that off (per plan, or in their settings). Each account has
a switch per kind of notification, instant or daily delivery, and a mail language
(``settings``). An event becomes an outbox message at once or an item for the daily digest
(``delivery``), in the caller's transaction; every message has a signed one-click
unsubscribe link that works without logging in (``unsubscribe``, RFC 8058).

Hooks, called from the services that make the change (``events``)::

    events.comment_posted(comment)        # dialogue.comments.post
    events.support_counted(ini)           # dialogue.initiatives.set_support (threshold, once)
    events.review_decided(ini)            # rounds.review.decide
    events.result_published(run, replaces=...)  # results.publication.publish
    events.plan_update(ini, title=, text=)      # for the funded-plan updates feature (unused yet)

For the task queue's periodic tasks (plain, idempotent, commit their own work)::

    events.notify_due(now)     # "voting has opened", once per (round, district)
    digest.send_digests(now)   # one digest per account per day, from DIGEST_HOUR

For the privacy export and account deletion (``privacy``)::

    privacy.personal_data(user) -> dict    # JSON-ready
    privacy.forget(user) -> None           # deletes the account's rows; the caller commits

Nothing in this package reads Ballot, Voter or Receipt rows, and nothing in the voting path
calls it.
"""
