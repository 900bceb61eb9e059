"""A seeder that fails, to prove a failed seed writes nothing."""


def seed(ctx):
    raise RuntimeError("boom")
