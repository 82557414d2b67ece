"""``orderctl track``: refresh parcels from a tracking provider and merge the answers.

Entry points: ``refresh.plan_refresh`` (which orders, without the lock),
``refresh.fetch`` (one paced provider run), ``refresh.save`` (one transaction),
or ``refresh.refresh_tracking`` for all three. ``targets`` picks orders and
numbers, ``merge`` applies one answer to one order, ``provider_state``
remembers registrations and back-off between runs, ``types`` holds the values
passed between the phases.
"""
