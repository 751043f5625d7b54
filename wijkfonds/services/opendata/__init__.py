"""Open data: rounds, districts, themes, building blocks, plans and published results as plain dicts.

The API (``blueprints/api``) serialises these dicts as JSON; other exports may use them too.
They show what the public pages show and nothing more: the same listing query as the plan
list (``services.dialogue.listing``), visible photos only, no names or addresses of people,
and no vote count, ballot number or turnout before the round's result is published.
"""
