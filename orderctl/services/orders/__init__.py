"""The order book.

Entry points: ``book.add_order``, ``book.edit_order``, ``book.remove_order``,
``book.list_orders``, ``view.show_order``; ``transfer.import_orders`` and
``transfer.export_orders`` (``order_file.import_file`` reads the file);
``due.due_entries`` and ``due.write_calendar``.
"""
