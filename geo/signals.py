"""Signals geo sends so other parts can follow its edits without geo calling into them."""

from django.dispatch import Signal

# Sent with `changes` (a list of geo.Change) when changes were written in bulk, e.g. by an import:
# bulk_create sends no post_save, and listeners such as the tile cache must still hear them.
changes_recorded = Signal()
