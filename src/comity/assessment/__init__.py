"""Assessment, monitoring and evaluation: indicators from public data and comity's own records,
objectives with baselines and targets, scorecards, dyad-year panels and the annual report."""
