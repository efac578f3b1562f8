"""The supervisor's windows: the study's adjudication (and, in time, assignment and merging)."""
