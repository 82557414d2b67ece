"""Receiving an order: confirming receipt (which releases the money) and drafting feedback.

Entry points: ``confirm.plan_confirmation``, ``confirm.confirm_receipt``;
``feedback.draft_feedback``, ``feedback.export_photos``, ``feedback.record_posted``.
"""
