"""The version of ecoscore, in one place (a leaf: the manifest and reports read it)."""

__version__ = "0.1.0.dev0"
