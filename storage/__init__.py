"""SQLAlchemy storage behind the core's ports: SQLite by default, PostgreSQL for scale, same code."""
