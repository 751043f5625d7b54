"""Mail, done so that nothing is lost: an outbox written with the change, sent by a task.

- ``outbox.queue(to, template, *, language, context, unsubscribe_url=None,
  unsubscribe_post=False) -> OutboxMessage``: the one function the rest of the site calls;
  renders now, writes a row in the caller's transaction, sends nothing.
- ``sender.send_due(now=None, limit=100) -> SendReport``: the task queue's job; claims due
  rows, sends them, retries with doubling waits, fails 5xx refusals.
- ``outbox.purge_sent(older_than)``: retention (AVG) for finished messages.
- ``render`` (templates/mail/<name>.txt and .html), ``links`` (absolute links on
  SITE_URL), ``message`` (EmailMessage), ``transport`` (SMTP URL, .eml directory).
"""
