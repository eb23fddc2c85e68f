"""Every domain operation on the records: the CLI, importers, admin and API all call these."""
