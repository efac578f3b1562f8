"""Operations on a project that the CLI and the GUI share: they validate, then call the store."""
