"""The racing core: plain functions over small dataclasses. Never imports Django."""
