"""Dialogs for the long, occasional jobs: import, export, agreement, a new project."""
