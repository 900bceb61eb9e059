"""A later app's seeder: reads what the people seeder produced."""


def seed(ctx):
    ctx.counts["seen_reps"] = len(ctx.reps)
    ctx.counts["seen_teams"] = len(ctx.teams)
    ctx.summary.append(f"{ctx.options.orders} pretend orders")
