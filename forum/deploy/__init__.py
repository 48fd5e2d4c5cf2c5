"""Running the site as several app servers behind nginx (make cluster)."""
