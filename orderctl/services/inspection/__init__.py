"""``orderctl inspect`` and ``checklists``: the guided checklist over a delivered parcel.

Entry points: ``run.prepare_inspection``, ``run.walk_answers``,
``run.complete_inspection`` (or ``run.run_inspection`` for all three);
``checklists.available_checklists``. ``answers_file`` reads ``--answers``,
``drafts`` keeps an unfinished walk, ``evidence`` records its files,
``eligibility`` says when an order may be inspected, ``next_steps`` what to do
after the verdict.
"""
