"""Use cases: each public method is one transaction and returns plain rows, never ORM objects."""
