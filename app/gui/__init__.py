"""The Qt window: the only package that imports PySide6. Widgets call services, never SQL."""

from app.gui._refcount_guard import make_singletons_immortal

make_singletons_immortal()
