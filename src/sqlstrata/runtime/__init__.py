"""Running migrations: the environment env.py sees, the runner, sinks, the version table."""
