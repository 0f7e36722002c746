"""Setu: the shared system for organisations fighting human trafficking in India."""

__version__ = "0.1.0"
