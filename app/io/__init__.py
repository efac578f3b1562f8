"""Reading articles from files and writing exports: no database, no Qt."""
