"""Adapters for the MkDocs hooks: the hook files in overrides/hooks/ only import these."""
