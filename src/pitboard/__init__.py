"""pitboard: the open record book of stock-car racing."""

__version__ = "0.1.0"
