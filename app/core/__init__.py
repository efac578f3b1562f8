"""The domain: no Qt, no SQLAlchemy. Everything here can be read and tested without a GUI."""
