"""The project file: SQLAlchemy 2 models, engine setup, migrations and the repository.

Nothing above this package writes SQL; it calls :class:`app.store.repository.Repository`.
"""
