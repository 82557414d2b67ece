"""Inspecting a delivered parcel: checklist templates, answers, verdict and the walk.

Split by concern so each stays small; import from the module that holds a name:

- ``templates``: ``Checklist``, ``Check``, ``parse_template``, ``build_checklists``,
  ``template_from_bytes`` (TOML checklists and their inheritance), ``resolve_checklist``;
- ``answers``: ``Answer``, ``CheckResult``, ``validate_answers``, ``answers_from_bytes``,
  ``check_evidence_path`` (the answers document and its validation);
- ``verdict``: ``evaluate``, ``Verdict``, ``Reservation`` (pass/fail and dispute reasons);
- ``walk``: ``walk_checklist``, ``Prompter``, ``Action`` (the interactive flow over an
  injected prompter).

Reading checklist and answers files is done by ``services/inspection/checklists.py``
and ``services/inspection/answers_file.py``, which hand the bytes in.
"""
