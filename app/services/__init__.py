"""Application services, one module per domain; they return plain frozen dataclasses."""
