"""SQLAlchemy engines, sessions, the unit of work and schema migrations."""
