"""The study, from the supervisor's side (Contract 6): hand out work packages with a
reliability sample, merge the coders' work back, follow progress, adjudicate, and write the
dataset. Each step is its own module; the pure computations live in ``app.core.study``."""
