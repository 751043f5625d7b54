"""After the vote: what happened with the money of each funded plan.

- ``records``: one ``Implementation`` per funded plan of a published result (made by
  ``results.publication.publish``; migration 0013 made them for rounds published before),
  reading them, and who may write on them;
- ``progress``: the status (with its transitions), updates with photos (moderated like
  comments, told to the plan's followers), milestones;
- ``money``: payments in tranches and the initiator's financial account;
- ``overview``: what is overdue, and ``summary(round_id, district_id=None)``, the one place
  that adds up granted, paid, spent and returned (staff overview, public pages, reports);
- ``reminders``: the periodic reminder mail to initiators with something overdue.

Every change is an audit event (``implementation.*``).
"""

from __future__ import annotations
