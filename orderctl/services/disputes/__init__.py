"""When the goods are not right: the seller conversation, the dispute and its evidence bundle.

Entry points: ``conversation.add_note`` (``note``), ``contact.draft_contact``
(``contact``), ``opening.plan_dispute`` and ``opening.open_dispute``
(``dispute``), ``progress.record_progress`` (``dispute-progress``),
``verify`` (``verify``). ``facts`` is what the drafts, plan and bundle read
off an order; ``parsing`` turns option text into checked values; ``plan``
holds the request and the plan; ``bundle`` assembles the evidence folder and zip.
"""
