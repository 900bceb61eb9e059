"""Pages of the direction app: vision and goals, line of sight, alignment, mission and values,
sales strategy, target segments."""
