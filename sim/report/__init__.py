"""Reports: terminal summaries of seasons and studies (console) and plots of study tables (plots)."""
