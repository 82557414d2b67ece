"""``orderctl notify``: tell the buyer what needs attention, once, through their channels.

* :mod:`.settings` — the ``[notify]`` config table, masking of channel URLs.
* :mod:`.notices` — what needs attention (deadlines via ``due``, order events).
* :mod:`.channels` — sending through Apprise.
* :mod:`.run` — one run: build, hold in quiet hours, send, record in the ledger.
* :mod:`.schedule` — ``orderctl schedule``: a systemd timer or crontab entry that runs notify.
"""
