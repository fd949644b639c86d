"""Reports: terminal summaries (console), report.html (html + study_report / paired_report, figures) and PNG
plots (plots) of the study tables, all reading the same prepared frames (frames)."""
