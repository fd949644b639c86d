"""Reports of studies: plots (and later text reports) built from the summary tables."""
