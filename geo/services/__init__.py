"""geo's services: plain functions on models. Views and commands call these, never the ORM
directly for writes, so every write is validated and recorded the same way."""
