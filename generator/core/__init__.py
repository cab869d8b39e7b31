"""Lowest layer: diagnostics, messages, text, outputs, memo, inputs. Imports nothing above it."""
