"""``orderctl inspect`` and ``checklists``: the guided checklist over a delivered parcel.

Entry points: ``run.prepare_inspection``, ``run.walk_answers``,
``run.complete_inspection`` (or ``run.run_inspection`` for all three);
``checklists.available_checklists`` and ``checklists.load_checklists`` (the
template files). ``plan`` holds ``InspectionPlan``; ``answers_file`` reads
``--answers`` (and binds the answer rules to the real files); ``drafts`` keeps
an unfinished walk, ``evidence`` records its files, ``eligibility`` says when
an order may be inspected, ``next_steps`` what to do after the verdict.
"""
