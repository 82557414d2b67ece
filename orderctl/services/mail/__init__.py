"""Orders from the buyer's mailbox (``orderctl import`` with mail, ``notify --mail``).

Entry point: ``importer.import_mail`` — read the mail (``orderctl.mailbox``), recognise
order mails (``orderctl.domain.mail``), merge them into the book in one store write.
"""
