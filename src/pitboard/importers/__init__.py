"""Importers: one module per source, all registered in one place (``registry``)."""
