"""What Django's own ``vi`` formats leave out; everything else comes from Django's."""

NUMBER_GROUPING = 3
